package io.tollgate.alerting.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/**
 * The {@code webhook_endpoints} table. Every read and write names the tenant, so that one
 * tenant can never see or change another's endpoint, whatever id it sends.
 */
@Repository
public class EndpointStore {

	private static final String COLUMNS = "endpoint_id, tenant_id, url, description, event_types, enabled, secret, "
			+ "previous_secret, previous_until, disabled_reason, failing_since, created_at";

	private final DatabaseClient db;

	EndpointStore(DatabaseClient db) {
		this.db = db;
	}

	Mono<Endpoint> insert(Endpoint endpoint) {
		return this.db
			.sql("INSERT INTO webhook_endpoints (" + COLUMNS + ", updated_at) VALUES (:id, :tenant, :url, "
					+ ":description, :types, :enabled, :secret, NULL, NULL, NULL, NULL, :at, :at)")
			.bind("id", endpoint.endpointId())
			.bind("tenant", endpoint.tenantId())
			.bind("url", endpoint.url())
			.bind("description", endpoint.description())
			.bind("types", endpoint.eventTypes().toArray(String[]::new))
			.bind("enabled", endpoint.enabled())
			.bind("secret", endpoint.secret())
			.bind("at", utc(endpoint.createdAt()))
			.then()
			.thenReturn(endpoint);
	}

	Flux<Endpoint> list(String tenantId) {
		return this.db
			.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = :tenant "
					+ "ORDER BY created_at, endpoint_id")
			.bind("tenant", tenantId)
			.map(EndpointStore::endpoint)
			.all();
	}

	/**
	 * One endpoint of a tenant.
	 * @param tenantId the tenant
	 * @param endpointId the endpoint
	 * @return it, or empty when the tenant has none by that id
	 */
	public Mono<Endpoint> find(String tenantId, String endpointId) {
		return this.db
			.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = :tenant AND endpoint_id = :id")
			.bind("tenant", tenantId)
			.bind("id", endpointId)
			.map(EndpointStore::endpoint)
			.one();
	}

	/**
	 * An endpoint by id alone, for the sender (which works for every tenant).
	 * @param endpointId the endpoint
	 * @return it, or empty
	 */
	public Mono<Endpoint> find(String endpointId) {
		return this.db.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE endpoint_id = :id")
			.bind("id", endpointId)
			.map(EndpointStore::endpoint)
			.one();
	}

	Mono<Endpoint> update(String tenantId, String endpointId, @Nullable String url, @Nullable List<String> eventTypes,
			@Nullable String description, @Nullable Boolean enabled, Instant now) {
		return this.db
			.sql("UPDATE webhook_endpoints SET url = COALESCE(:url, url), "
					+ "event_types = COALESCE(:types, event_types), description = COALESCE(:description, description), "
					+ "enabled = COALESCE(:enabled, enabled), "
					+ "disabled_reason = CASE WHEN :enabled IS TRUE THEN NULL ELSE disabled_reason END, "
					+ "failing_since = CASE WHEN :enabled IS TRUE THEN NULL ELSE failing_since END, updated_at = :now "
					+ "WHERE tenant_id = :tenant AND endpoint_id = :id")
			.bind("url", Parameter.fromOrEmpty(url, String.class))
			.bind("types",
					Parameter.fromOrEmpty((eventTypes != null) ? eventTypes.toArray(String[]::new) : null,
							String[].class))
			.bind("description", Parameter.fromOrEmpty(description, String.class))
			.bind("enabled", Parameter.fromOrEmpty(enabled, Boolean.class))
			.bind("now", utc(now))
			.bind("tenant", tenantId)
			.bind("id", endpointId)
			.fetch()
			.rowsUpdated()
			.flatMap((rows) -> find(tenantId, endpointId));
	}

	Mono<Long> delete(String tenantId, String endpointId) {
		return this.db.sql("DELETE FROM webhook_endpoints WHERE tenant_id = :tenant AND endpoint_id = :id")
			.bind("tenant", tenantId)
			.bind("id", endpointId)
			.fetch()
			.rowsUpdated();
	}

	Mono<Long> rotate(String tenantId, String endpointId, byte[] secret, Instant previousUntil, Instant now) {
		return this.db
			.sql("UPDATE webhook_endpoints SET previous_secret = secret, previous_until = :until, secret = :secret, "
					+ "updated_at = :now WHERE tenant_id = :tenant AND endpoint_id = :id")
			.bind("until", utc(previousUntil))
			.bind("secret", secret)
			.bind("now", utc(now))
			.bind("tenant", tenantId)
			.bind("id", endpointId)
			.fetch()
			.rowsUpdated();
	}

	/**
	 * Records a failed delivery: the endpoint is failing from now on, unless it already
	 * was.
	 * @param endpointId the endpoint
	 * @param now when
	 * @return since when it has been failing
	 */
	public Mono<Instant> failing(String endpointId, Instant now) {
		return this.db
			.sql("UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, :now) "
					+ "WHERE endpoint_id = :id RETURNING failing_since")
			.bind("now", utc(now))
			.bind("id", endpointId)
			.map((row, meta) -> row.get("failing_since", OffsetDateTime.class).toInstant())
			.one();
	}

	/**
	 * Records a delivered message: the endpoint is healthy.
	 * @param endpointId the endpoint
	 * @return done
	 */
	public Mono<Void> healthy(String endpointId) {
		return this.db
			.sql("UPDATE webhook_endpoints SET failing_since = NULL WHERE endpoint_id = :id "
					+ "AND failing_since IS NOT NULL")
			.bind("id", endpointId)
			.then();
	}

	/**
	 * Disables an endpoint, saying why.
	 * @param endpointId the endpoint
	 * @param reason why
	 * @param now when
	 * @return whether it was enabled until now
	 */
	public Mono<Boolean> disable(String endpointId, String reason, Instant now) {
		return this.db
			.sql("UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, updated_at = :now "
					+ "WHERE endpoint_id = :id AND enabled")
			.bind("reason", reason)
			.bind("now", utc(now))
			.bind("id", endpointId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows > 0);
	}

	private static Endpoint endpoint(Readable row) {
		OffsetDateTime until = row.get("previous_until", OffsetDateTime.class);
		OffsetDateTime failing = row.get("failing_since", OffsetDateTime.class);
		String[] types = row.get("event_types", String[].class);
		return new Endpoint(row.get("endpoint_id", String.class), row.get("tenant_id", String.class),
				row.get("url", String.class), row.get("description", String.class),
				(types != null) ? Arrays.asList(types) : List.of(),
				Boolean.TRUE.equals(row.get("enabled", Boolean.class)), row.get("secret", byte[].class),
				row.get("previous_secret", byte[].class), (until != null) ? until.toInstant() : null,
				row.get("disabled_reason", String.class), (failing != null) ? failing.toInstant() : null,
				row.get("created_at", OffsetDateTime.class).toInstant());
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
