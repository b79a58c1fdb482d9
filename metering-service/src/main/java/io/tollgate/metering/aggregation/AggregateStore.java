package io.tollgate.metering.aggregation;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.tollgate.contract.BucketWidth;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.metering.config.MeteringProperties;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.DeadLetters;
import io.tollgate.support.kafka.PartitionRange;
import io.tollgate.support.outbox.OutboxRecord;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Writes one consumed batch in one PostgreSQL transaction ({@link BatchTransaction}): the
 * consumed offsets (fenced), the dedup set, the minute, hour and day aggregates, and the
 * outbox (deltas and dead letters). Either all of it is committed or none of it.
 *
 * <p>
 * Algorithm, per batch:
 * <ol>
 * <li>{@link BatchTransaction} locks the partitions' offset rows and fences a batch
 * another consumer has already counted.</li>
 * <li>Insert the batch's event ids into {@code seen_events}, {@code ON CONFLICT DO
 * NOTHING RETURNING event_id}: only the ids this statement inserted are counted, so a
 * resubmitted or redelivered event counts once.</li>
 * <li>Fold the fresh events into minute buckets in memory, and those into hours and days;
 * upsert each table with one statement over arrays, rows in one global order.</li>
 * <li>Append a delta per minute bucket (deterministic id) and each dead letter to the
 * outbox; store the partitions' next offsets.</li>
 * </ol>
 * Round trips per batch: six to eight, whatever its size.
 */
@Repository
class AggregateStore {

	private final DatabaseClient db;

	private final BatchTransaction batches;

	private final URI source;

	AggregateStore(DatabaseClient db, BatchTransaction batches, MeteringProperties properties) {
		this.db = db;
		this.batches = batches;
		this.source = properties.cloudEventsSource();
	}

	/**
	 * Writes a sorted batch.
	 * @param batch the batch
	 * @param now the time deltas are stamped with
	 * @return what was written, or the offsets to resume from when fenced
	 */
	BatchTransaction.Result<Counts> write(Intake.Classified batch, Instant now) {
		return this.batches.commit(batch.ranges(),
				() -> markSeen(batch.countable()).flatMap((fresh) -> writeFresh(batch, fresh, now)));
	}

	private Mono<BatchTransaction.Written<Counts>> writeFresh(Intake.Classified batch, List<UsageEvent> fresh,
			Instant now) {
		Map<AggregateKey, Tally> minutes = new HashMap<>();
		for (UsageEvent event : fresh) {
			minutes.merge(AggregateKey.of(event, BucketWidth.ONE_MINUTE), Tally.of(event), Tally::plus);
		}
		Map<AggregateKey, Tally> hours = widen(minutes, BucketWidth.ONE_HOUR);
		Map<AggregateKey, Tally> days = widen(hours, BucketWidth.ONE_DAY);
		List<OutboxRecord> records = new ArrayList<>(minutes.size() + batch.deadLetters().size());
		Map<AggregateKey, Tally> ordered = sorted(minutes);
		ordered.forEach((key, tally) -> records.add(delta(batch.ranges(), key, tally, now, this.source)));
		batch.deadLetters().forEach((letter) -> records.add(DeadLetters.toRecord(letter, Topics.USAGE.deadLetter())));
		return upsert("usage_minute", ordered).then(upsert("usage_hour", sorted(hours)))
			.then(upsert("usage_day", sorted(days)))
			.thenReturn(new BatchTransaction.Written<>(new Counts(fresh.size(), batch.countable().size() - fresh.size(),
					batch.deadLetters().size(), minutes.size()), records));
	}

	/** Inserts the ids; returns the events whose ids were not seen before, once each. */
	private Mono<List<UsageEvent>> markSeen(List<UsageEvent> countable) {
		if (countable.isEmpty()) {
			return Mono.just(List.of());
		}
		Map<String, UsageEvent> byId = new LinkedHashMap<>();
		countable.forEach((event) -> byId.putIfAbsent(event.eventId(), event));
		String[] ids = new String[byId.size()];
		Long[] completedAt = new Long[byId.size()];
		int i = 0;
		for (UsageEvent event : byId.values()) {
			ids[i] = event.eventId();
			Instant completed = event.completedAt();
			completedAt[i++] = completed.getEpochSecond() * 1_000_000 + completed.getNano() / 1_000;
		}
		return this.db
			.sql("INSERT INTO seen_events (event_id, completed_at) "
					+ "SELECT id, to_timestamp(micros / 1000000.0) FROM unnest(:ids::uuid[], :completed::bigint[]) "
					+ "AS x(id, micros) ON CONFLICT (event_id) DO NOTHING RETURNING event_id")
			.bind("ids", ids)
			.bind("completed", completedAt)
			.map((row) -> row.get(0, UUID.class))
			.all()
			.map((id) -> byId.get(id.toString()))
			.collectList();
	}

	private Mono<Void> upsert(String table, Map<AggregateKey, Tally> rows) {
		if (rows.isEmpty()) {
			return Mono.empty();
		}
		int size = rows.size();
		String[] tenants = new String[size];
		Long[] buckets = new Long[size];
		String[] keys = new String[size];
		String[] providers = new String[size];
		String[] models = new String[size];
		String[] serviceTiers = new String[size];
		String[] contextTiers = new String[size];
		Long[][] counts = new Long[11][size];
		int i = 0;
		for (Map.Entry<AggregateKey, Tally> row : rows.entrySet()) {
			AggregateKey key = row.getKey();
			Tally tally = row.getValue();
			tenants[i] = key.tenantId();
			buckets[i] = key.bucketStart().getEpochSecond();
			keys[i] = key.apiKeyId();
			providers[i] = key.provider().wire();
			models[i] = key.model();
			serviceTiers[i] = key.serviceTier().wire();
			contextTiers[i] = key.contextTier().wire();
			counts[0][i] = tally.requests();
			counts[1][i] = tally.successes();
			counts[2][i] = tally.upstreamErrors();
			counts[3][i] = tally.clientAborts();
			counts[4][i] = tally.tokens().input();
			counts[5][i] = tally.tokens().output();
			counts[6][i] = tally.tokens().cacheWrite5m();
			counts[7][i] = tally.tokens().cacheWrite1h();
			counts[8][i] = tally.tokens().cacheRead();
			counts[9][i] = tally.tokens().reasoning();
			counts[10][i] = tally.tokens().serverToolUses();
			i++;
		}
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(upsertSql(table))
			.bind("tenants", tenants)
			.bind("buckets", buckets)
			.bind("keys", keys)
			.bind("providers", providers)
			.bind("models", models)
			.bind("service_tiers", serviceTiers)
			.bind("context_tiers", contextTiers);
		for (int c = 0; c < COUNT_COLUMNS.size(); c++) {
			spec = spec.bind("c" + c, counts[c]);
		}
		return spec.fetch().rowsUpdated().then();
	}

	private static final List<String> COUNT_COLUMNS = List.of("requests", "successes", "upstream_errors",
			"client_aborts", "input_tokens", "output_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
			"cache_read_tokens", "reasoning_tokens", "server_tool_uses");

	private static final Map<String, String> UPSERTS = new HashMap<>();

	private static String upsertSql(String table) {
		synchronized (UPSERTS) {
			return UPSERTS.computeIfAbsent(table, AggregateStore::buildUpsertSql);
		}
	}

	private static String buildUpsertSql(String table) {
		StringBuilder columns = new StringBuilder();
		StringBuilder arrays = new StringBuilder();
		StringBuilder aliases = new StringBuilder();
		StringBuilder updates = new StringBuilder();
		for (int c = 0; c < COUNT_COLUMNS.size(); c++) {
			String column = COUNT_COLUMNS.get(c);
			columns.append(", ").append(column);
			arrays.append(", :c").append(c).append("::bigint[]");
			aliases.append(", c").append(c);
			updates.append(column).append(" = u.").append(column).append(" + excluded.").append(column).append(", ");
		}
		return "INSERT INTO " + table + " AS u (tenant_id, bucket_start, api_key_id, provider, model, service_tier, "
				+ "context_tier" + columns + ") SELECT t, to_timestamp(b), k, p, m, s, x" + aliases
				+ " FROM unnest(:tenants::text[], :buckets::bigint[], :keys::text[], :providers::text[], "
				+ ":models::text[], :service_tiers::text[], :context_tiers::text[]" + arrays
				+ ") AS r(t, b, k, p, m, s, x" + aliases
				+ ") ON CONFLICT (tenant_id, bucket_start, api_key_id, provider, model, service_tier, "
				+ "context_tier) DO UPDATE SET " + updates + "updated_at = now()";
	}

	private static OutboxRecord delta(List<PartitionRange> ranges, AggregateKey key, Tally tally, Instant now,
			URI source) {
		MeteredUsage delta = new MeteredUsage(DeltaIds.of(ranges, key), key.tenantId(), key.apiKeyId(), key.provider(),
				key.model(), key.serviceTier(), key.contextTier(), key.bucketStart(), BucketWidth.ONE_MINUTE,
				tally.requests(), tally.successes(), tally.upstreamErrors(), tally.clientAborts(), tally.tokens(), now);
		return OutboxRecord.of(Topics.METERED_USAGE, delta, source);
	}

	private static Map<AggregateKey, Tally> widen(Map<AggregateKey, Tally> narrow, BucketWidth width) {
		Map<AggregateKey, Tally> wide = new HashMap<>();
		narrow.forEach((key, tally) -> wide.merge(key.widen(width), tally, Tally::plus));
		return wide;
	}

	private static Map<AggregateKey, Tally> sorted(Map<AggregateKey, Tally> rows) {
		Map<AggregateKey, Tally> ordered = new TreeMap<>(AggregateKey.WRITE_ORDER);
		ordered.putAll(rows);
		return ordered;
	}

	/**
	 * What a committed batch counted.
	 *
	 * @param counted events counted for the first time
	 * @param duplicates events whose ids were already counted
	 * @param deadLetters records sent to the dead-letter topic
	 * @param deltas deltas published for billing
	 */
	record Counts(int counted, int duplicates, int deadLetters, int deltas) {

	}

}
