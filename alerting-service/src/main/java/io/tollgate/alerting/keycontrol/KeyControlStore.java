package io.tollgate.alerting.keycontrol;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.r2dbc.spi.Readable;
import io.tollgate.alerting.config.AlertingProperties;
import io.tollgate.contract.EventValidator;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.Topics;
import io.tollgate.support.outbox.OutboxRecord;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/**
 * The {@code key_controls} table: the current decision per key (or per tenant, for every
 * key), written in the same transaction as the outbox record that publishes it, so the
 * table and the compacted topic never disagree for long.
 */
@Repository
public class KeyControlStore {

	private final DatabaseClient db;

	private final URI source;

	KeyControlStore(DatabaseClient db, AlertingProperties properties) {
		this.db = db;
		this.source = properties.cloudEventsSource();
	}

	/**
	 * Records a decision as the current one and returns the outbox record that publishes
	 * it; call in the transaction that appends the record to the outbox.
	 * @param control the decision
	 * @return the outbox record, once the row is written
	 */
	public Mono<OutboxRecord> record(KeyControl control) {
		OutboxRecord record = OutboxRecord.of(Topics.KEY_CONTROLS, EventValidator.requireValid(control), this.source);
		return this.db
			.sql("INSERT INTO key_controls (record_key, control_id, tenant_id, api_key_id, action, reason, message, "
					+ "until, decided_at) VALUES (:key, :id, :tenant, :apiKey, :action, :reason, :message, :until, :at) "
					+ "ON CONFLICT (record_key) DO UPDATE SET control_id = EXCLUDED.control_id, action = "
					+ "EXCLUDED.action, reason = EXCLUDED.reason, message = EXCLUDED.message, until = EXCLUDED.until, "
					+ "decided_at = EXCLUDED.decided_at")
			.bind("key", control.partitionKey())
			.bind("id", control.controlId())
			.bind("tenant", control.tenantId())
			.bind("apiKey", control.apiKeyId())
			.bind("action", control.action().wire())
			.bind("reason", control.reason())
			.bind("message", Parameter.fromOrEmpty(control.message(), String.class))
			.bind("until",
					Parameter.fromOrEmpty((control.until() != null) ? utc(control.until()) : null,
							OffsetDateTime.class))
			.bind("at", utc(control.decidedAt()))
			.then()
			.thenReturn(record);
	}

	/**
	 * The current decision for a record key.
	 * @param recordKey the api key id, or {@code tenant_id/*}
	 * @return the decision, empty when there was none
	 */
	public Mono<Optional<KeyControl>> current(String recordKey) {
		return this.db.sql("SELECT * FROM key_controls WHERE record_key = :key")
			.bind("key", recordKey)
			.map(KeyControlStore::control)
			.one()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty());
	}

	Flux<KeyControl> paused(@Nullable String tenantId, Instant now) {
		return this.db
			.sql("SELECT * FROM key_controls WHERE action = 'pause' AND (until IS NULL OR until > :now) "
					+ "AND (CAST(:tenant AS text) IS NULL OR tenant_id = CAST(:tenant AS text)) "
					+ "ORDER BY tenant_id, decided_at DESC")
			.bind("now", utc(now))
			.bind("tenant", Parameter.fromOrEmpty(tenantId, String.class))
			.map(KeyControlStore::control)
			.all();
	}

	private static KeyControl control(Readable row) {
		OffsetDateTime until = row.get("until", OffsetDateTime.class);
		String action = row.get("action", String.class);
		return new KeyControl(row.get("control_id", String.class), row.get("tenant_id", String.class),
				row.get("api_key_id", String.class), "pause".equals(action) ? KeyAction.PAUSE : KeyAction.RESUME,
				row.get("reason", String.class), row.get("message", String.class),
				(until != null) ? until.toInstant() : null, row.get("decided_at", OffsetDateTime.class).toInstant());
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	static List<String> actions() {
		return List.of(KeyAction.PAUSE.wire(), KeyAction.RESUME.wire());
	}

}
