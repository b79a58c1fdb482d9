package io.tollgate.alerting.delivery;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
	 * @param deliveryId the delivery
	 * @param now now
	 * @return how many deliveries were re-queued (0 when the tenant has none by that id)
	 */
	Mono<Long> resend(String tenantId, String deliveryId, Instant now) {
		return this.db
			.sql("UPDATE deliveries SET status = 'pending', next_attempt_at = :now, locked_until = NULL "
					+ "WHERE delivery_id = :id AND tenant_id = :tenant AND status <> 'pending'")
			.bind("now", utc(now))
			.bind("id", deliveryId)
			.bind("tenant", tenantId)
			.fetch()
			.rowsUpdated();
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
