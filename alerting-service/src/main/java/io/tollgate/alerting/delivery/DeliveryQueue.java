package io.tollgate.alerting.delivery;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/**
 * The {@code deliveries} queue and its attempt log. Claiming leases due deliveries with
 * {@code FOR UPDATE SKIP LOCKED}, so several alerting instances share the queue without
 * sending a message twice at once; a lease that runs out (the instance died mid-attempt)
 * makes the delivery due again.
 */
@Repository
class DeliveryQueue {

	private final DatabaseClient db;

	DeliveryQueue(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * A delivery claimed for one attempt.
	 *
	 * @param deliveryId the {@code webhook-id}
	 * @param endpointId where it goes
	 * @param eventType the message type
	 * @param payload the body
	 * @param attempt which attempt this is, from 1
	 */
	record Claimed(String deliveryId, String endpointId, String eventType, String payload, int attempt) {

	}

	Flux<Claimed> claim(int limit, Instant now, Instant leaseUntil) {
		return this.db
			.sql("UPDATE deliveries d SET locked_until = :lease, attempts = d.attempts + 1 FROM ("
					+ "SELECT delivery_id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= :now "
					+ "AND (locked_until IS NULL OR locked_until < :now) ORDER BY next_attempt_at LIMIT :limit "
					+ "FOR UPDATE SKIP LOCKED) due WHERE d.delivery_id = due.delivery_id "
					+ "RETURNING d.delivery_id, d.endpoint_id, d.event_type, d.payload, d.attempts")
			.bind("lease", utc(leaseUntil))
			.bind("now", utc(now))
			.bind("limit", limit)
			.map((row, meta) -> new Claimed(row.get("delivery_id", String.class), row.get("endpoint_id", String.class),
					row.get("event_type", String.class), row.get("payload", String.class),
					row.get("attempts", Integer.class)))
			.all();
	}

	Mono<Void> logAttempt(String deliveryId, int attempt, Instant at, @Nullable Integer status, long latencyMillis,
			@Nullable String excerpt, @Nullable String error) {
		return this.db
			.sql("INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, "
					+ "response_excerpt, error) VALUES (:id, :attempt, :at, :status, :latency, :excerpt, :error) "
					+ "ON CONFLICT DO NOTHING")
			.bind("id", deliveryId)
			.bind("attempt", attempt)
			.bind("at", utc(at))
			.bind("status", Parameter.fromOrEmpty(status, Integer.class))
			.bind("latency", latencyMillis)
			.bind("excerpt", Parameter.fromOrEmpty(excerpt, String.class))
			.bind("error", Parameter.fromOrEmpty(error, String.class))
			.then();
	}

	Mono<Void> delivered(String deliveryId) {
		return finish(deliveryId, "delivered");
	}

	Mono<Void> failed(String deliveryId) {
		return finish(deliveryId, "failed");
	}

	Mono<Void> retryAt(String deliveryId, Instant next) {
		return this.db.sql("UPDATE deliveries SET next_attempt_at = :next, locked_until = NULL WHERE delivery_id = :id")
			.bind("next", utc(next))
			.bind("id", deliveryId)
			.then();
	}

	/**
	 * Makes a finished delivery due again at once (a re-send by hand).
	 * @param tenantId the tenant asking
	 * @param endpointId the endpoint it went to
	 * @param deliveryId the delivery
	 * @param now now
	 * @return how many deliveries were re-queued (0 when the tenant has none by that id)
	 */
	Mono<Long> resend(String tenantId, String endpointId, String deliveryId, Instant now) {
		return this.db
			.sql("UPDATE deliveries SET status = 'pending', next_attempt_at = :now, locked_until = NULL "
					+ "WHERE delivery_id = :id AND tenant_id = :tenant AND endpoint_id = :endpoint "
					+ "AND status <> 'pending'")
			.bind("now", utc(now))
			.bind("id", deliveryId)
			.bind("tenant", tenantId)
			.bind("endpoint", endpointId)
			.fetch()
			.rowsUpdated();
	}

	/**
	 * A delivery with its attempts, as the tenant sees it.
	 *
	 * @param deliveryId the {@code webhook-id}
	 * @param eventType the message type
	 * @param status pending, delivered or failed
	 * @param createdAt when it was queued
	 * @param nextAttemptAt when it is tried next, while pending
	 * @param attempts the attempts so far, first first
	 */
	record Logged(String deliveryId, String eventType, String status, Instant createdAt,
			@Nullable Instant nextAttemptAt, List<Attempt> attempts) {

	}

	/**
	 * One attempt.
	 *
	 * @param attempt its number, from 1
	 * @param attemptedAt when
	 * @param statusCode what the endpoint answered, when it answered
	 * @param latencyMillis how long it took
	 * @param responseExcerpt the first KiB of the answer
	 * @param error why there was no answer
	 */
	record Attempt(int attempt, Instant attemptedAt, @Nullable Integer statusCode, long latencyMillis,
			@Nullable String responseExcerpt, @Nullable String error) {

	}

	/**
	 * The latest deliveries to one of a tenant's endpoints, newest first, with their
	 * attempts.
	 * @param tenantId the tenant asking
	 * @param endpointId the endpoint
	 * @param limit most deliveries
	 * @return the deliveries
	 */
	Mono<List<Logged>> recent(String tenantId, String endpointId, int limit) {
		Mono<List<Logged>> deliveries = this.db
			.sql("SELECT delivery_id, event_type, status, created_at, next_attempt_at FROM deliveries "
					+ "WHERE tenant_id = :tenant AND endpoint_id = :endpoint ORDER BY created_at DESC, delivery_id "
					+ "LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("endpoint", endpointId)
			.bind("limit", limit)
			.map((row, meta) -> {
				OffsetDateTime next = row.get("next_attempt_at", OffsetDateTime.class);
				return new Logged(row.get("delivery_id", String.class), row.get("event_type", String.class),
						row.get("status", String.class), row.get("created_at", OffsetDateTime.class).toInstant(),
						(next != null) ? next.toInstant() : null, new ArrayList<>());
			})
			.all()
			.collectList();
		return deliveries.flatMap((found) -> found.isEmpty() ? Mono.just(found)
				: this.db
					.sql("SELECT delivery_id, attempt, attempted_at, status_code, latency_ms, response_excerpt, error "
							+ "FROM delivery_attempts WHERE delivery_id = ANY (:ids) ORDER BY delivery_id, attempt")
					.bind("ids", found.stream().map(Logged::deliveryId).toArray(String[]::new))
					.map((row, meta) -> Map.entry(row.get("delivery_id", String.class),
							new Attempt(row.get("attempt", Integer.class),
									row.get("attempted_at", OffsetDateTime.class).toInstant(),
									row.get("status_code", Integer.class), row.get("latency_ms", Long.class),
									row.get("response_excerpt", String.class), row.get("error", String.class))))
					.all()
					.collectList()
					.map((attempts) -> {
						Map<String, Logged> byId = new HashMap<>();
						found.forEach((logged) -> byId.put(logged.deliveryId(), logged));
						attempts.forEach((entry) -> byId.get(entry.getKey()).attempts().add(entry.getValue()));
						return found;
					}));
	}

	private Mono<Void> finish(String deliveryId, String status) {
		return this.db
			.sql("UPDATE deliveries SET status = :status, next_attempt_at = NULL, locked_until = NULL "
					+ "WHERE delivery_id = :id")
			.bind("status", status)
			.bind("id", deliveryId)
			.then();
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
