package io.tollgate.alerting.alert;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/**
 * The tenant's alert history, and the step that turns a raised alert into webhook
 * deliveries: one queued delivery per enabled endpoint of the tenant that subscribes to
 * the alert's type, written in the caller's transaction, so that an alert is delivered if
 * and only if it was recorded.
 */
@Repository
public class AlertStore {

	private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
	};

	private final DatabaseClient db;

	private final JsonMapper json;

	AlertStore(DatabaseClient db) {
		this.db = db;
		this.json = WebhookPayloads.MAPPER;
	}

	/**
	 * Records alerts and queues their deliveries, in the caller's transaction.
	 * @param alerts the alerts
	 * @param now when they are queued (deliveries are due at once)
	 * @return how many deliveries were queued
	 */
	public Mono<Long> raise(List<Alert> alerts, Instant now) {
		return Flux.fromIterable(alerts).concatMap((alert) -> raise(alert, now)).reduce(0L, Long::sum);
	}

	private Mono<Long> raise(Alert alert, Instant now) {
		Mono<Long> recorded = this.db
			.sql("INSERT INTO alerts (alert_id, tenant_id, api_key_id, type, occurred_at, data) "
					+ "VALUES (:id, :tenant, :key, :type, :at, CAST(:data AS jsonb))")
			.bind("id", alert.alertId())
			.bind("tenant", alert.tenantId())
			.bind("key", Parameter.fromOrEmpty(alert.apiKeyId(), String.class))
			.bind("type", alert.type().wire())
			.bind("at", utc(alert.occurredAt()))
			.bind("data", this.json.writeValueAsString(alert.data()))
			.fetch()
			.rowsUpdated();
		return recorded
			.then(enqueue(alert.tenantId(), alert.alertId(), alert.type(), WebhookPayloads.of(alert), now, null));
	}

	/**
	 * Queues a message for the tenant's endpoints subscribed to its type, or for one
	 * endpoint.
	 * @param tenantId the tenant
	 * @param alertId the alert it carries, if any
	 * @param type the message's type
	 * @param payload the message body
	 * @param now when it is queued
	 * @param endpointId only this endpoint (a test message), or {@code null} for every
	 * subscribed one
	 * @return how many deliveries were queued
	 */
	public Mono<Long> enqueue(String tenantId, @Nullable String alertId, AlertType type, String payload, Instant now,
			@Nullable String endpointId) {
		return this.db
			.sql("INSERT INTO deliveries (delivery_id, endpoint_id, tenant_id, alert_id, event_type, payload, "
					+ "created_at, status, attempts, next_attempt_at) "
					+ "SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.endpoint_id, e.tenant_id, "
					+ ":alert, :type, :payload, :now, 'pending', 0, :now FROM webhook_endpoints e "
					+ "WHERE e.tenant_id = :tenant AND (CAST(:endpoint AS text) IS NULL AND e.enabled "
					+ "AND :type = ANY (e.event_types) OR e.endpoint_id = CAST(:endpoint AS text))")
			.bind("alert", Parameter.fromOrEmpty(alertId, String.class))
			.bind("type", type.wire())
			.bind("payload", payload)
			.bind("now", utc(now))
			.bind("tenant", tenantId)
			.bind("endpoint", Parameter.fromOrEmpty(endpointId, String.class))
			.fetch()
			.rowsUpdated();
	}

	/**
	 * A page of the tenant's alert history, newest first.
	 * @param query the filters and the page
	 * @return the alerts, at most the query's limit plus one (to tell whether a next page
	 * exists)
	 */
	Flux<Alert> history(AlertQuery query) {
		return this.db
			.sql("SELECT alert_id, tenant_id, api_key_id, type, occurred_at, data::text AS data FROM alerts "
					+ "WHERE tenant_id = :tenant AND occurred_at >= :from AND occurred_at < :to "
					+ "AND (CAST(:type AS text) IS NULL OR type = CAST(:type AS text)) "
					+ "AND (CAST(:key AS text) IS NULL OR api_key_id = CAST(:key AS text)) "
					+ "AND (CAST(:afterAt AS timestamptz) IS NULL OR (occurred_at, alert_id) < "
					+ "(CAST(:afterAt AS timestamptz), CAST(:afterId AS text))) "
					+ "ORDER BY occurred_at DESC, alert_id DESC LIMIT :limit")
			.bind("tenant", query.tenantId())
			.bind("from", utc(query.from()))
			.bind("to", utc(query.to()))
			.bind("type", Parameter.fromOrEmpty(((query.type() != null) ? query.type().wire() : null), String.class))
			.bind("key", Parameter.fromOrEmpty(query.apiKeyId(), String.class))
			.bind("afterAt",
					Parameter.fromOrEmpty((query.after() != null) ? utc(query.after().occurredAt()) : null,
							OffsetDateTime.class))
			.bind("afterId",
					Parameter.fromOrEmpty((query.after() != null) ? query.after().alertId() : null, String.class))
			.bind("limit", query.limit() + 1)
			.map((row, meta) -> new Alert(row.get("alert_id", String.class), row.get("tenant_id", String.class),
					row.get("api_key_id", String.class),
					AlertType.of(row.get("type", String.class)).orElse(AlertType.WEBHOOK_TEST),
					row.get("occurred_at", OffsetDateTime.class).toInstant(), data(row.get("data", String.class))))
			.all();
	}

	private Map<String, Object> data(@Nullable String data) {
		return (data != null) ? this.json.readValue(data, DATA) : new LinkedHashMap<>();
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
