package io.tollgate.billing.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.DeadLetter;
import io.tollgate.support.kafka.DeadLetters;
import io.tollgate.support.kafka.PartitionRange;
import io.tollgate.support.outbox.OutboxRecord;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Writes one consumed batch of metered usage in one PostgreSQL transaction: the consumed
 * offsets (fenced, see {@link BatchTransaction}), the set of priced delta ids, the ledger
 * entries, the hourly spend, the period-to-date totals, and dead letters (outbox).
 *
 * <p>
 * Algorithm, per batch: lock and fence the offsets; take the {@link PricingLock} (shared;
 * the price book catches up with every committed price correction); insert the batch's
 * delta ids into {@code priced_deltas} ({@code ON CONFLICT DO NOTHING RETURNING}) and
 * price only those returned, so a redelivered delta is never priced twice; append one
 * ledger entry per token kind with a non-zero quantity; fold the entries in memory into
 * hourly spend rows and period totals (per tenant, and per key) and upsert each table
 * with one statement over arrays, rows in one global order so concurrent transactions
 * cannot deadlock ({@link LedgerWriter}, shared with price corrections); advance the
 * offsets; mark the tenants whose spend changed ({@code spend_dirty}, read by the spend
 * update publisher); commit.
 */
@Repository
class LedgerStore {

	private final DatabaseClient db;

	private final BatchTransaction batches;

	private final LedgerWriter writer;

	private final PricingLock pricingLock;

	LedgerStore(DatabaseClient db, BatchTransaction batches, LedgerWriter writer, PricingLock pricingLock) {
		this.db = db;
		this.batches = batches;
		this.writer = writer;
		this.pricingLock = pricingLock;
	}

	/**
	 * Writes a batch.
	 * @param ranges the offsets the batch covers
	 * @param deltas the valid deltas, possibly repeating ids
	 * @param deadLetters the records that are not valid deltas
	 * @param pricer prices one delta into ledger lines
	 * @return what was priced, or where to resume when fenced
	 */
	BatchTransaction.Result<Priced> write(List<PartitionRange> ranges, List<MeteredUsage> deltas,
			List<DeadLetter> deadLetters, Function<MeteredUsage, List<LedgerLine>> pricer) {
		return this.batches.commit(ranges, () -> holdForPricing(deltas).then(markPriced(deltas))
			.flatMap((fresh) -> writeFresh(deltas.size(), fresh, deadLetters, pricer)));
	}

	private Mono<BatchTransaction.Written<Priced>> writeFresh(int received, List<MeteredUsage> fresh,
			List<DeadLetter> deadLetters, Function<MeteredUsage, List<LedgerLine>> pricer) {
		List<LedgerLine> lines = new ArrayList<>();
		fresh.forEach((delta) -> lines.addAll(pricer.apply(delta)));
		List<OutboxRecord> letters = deadLetters.stream()
			.map((letter) -> DeadLetters.toRecord(letter, Topics.METERED_USAGE.deadLetter()))
			.toList();
		Set<String> tenants = new TreeSet<>();
		fresh.forEach((delta) -> tenants.add(delta.tenantId()));
		long unpricedLines = lines.stream().filter(LedgerLine::unpriced).count();
		return this.writer.append(lines)
			.then(this.writer.markSpendChanged(tenants))
			.thenReturn(new BatchTransaction.Written<>(new Priced(fresh.size(), received - fresh.size(),
					deadLetters.size(), lines.size(), unpricedLines, tenants), letters));
	}

	/**
	 * Before anything of the batch is written (only the offsets are locked), so that a
	 * correction waiting for this lock never waits for a transaction that waits for it.
	 */
	private Mono<Void> holdForPricing(List<MeteredUsage> deltas) {
		return deltas.isEmpty() ? Mono.empty() : this.pricingLock.holdForPricing();
	}

	/**
	 * Inserts the ids; returns the deltas whose ids were not priced before, once each.
	 */
	private Mono<List<MeteredUsage>> markPriced(List<MeteredUsage> deltas) {
		if (deltas.isEmpty()) {
			return Mono.just(List.of());
		}
		Map<String, MeteredUsage> byId = new LinkedHashMap<>();
		deltas.forEach((delta) -> byId.putIfAbsent(delta.deltaId(), delta));
		return this.db
			.sql("INSERT INTO priced_deltas (delta_id) SELECT unnest(:ids::uuid[]) "
					+ "ON CONFLICT (delta_id) DO NOTHING RETURNING delta_id")
			.bind("ids", byId.keySet().toArray(String[]::new))
			.map((row) -> row.get(0, UUID.class))
			.all()
			.map((id) -> byId.get(id.toString()))
			.collectList();
	}

	/**
	 * What a committed batch priced.
	 *
	 * @param priced deltas priced for the first time
	 * @param duplicates deltas whose ids were priced before
	 * @param deadLetters records sent to the dead-letter topic
	 * @param entries ledger entries written
	 * @param unpricedEntries entries priced by the fallback rule
	 * @param tenants the tenants whose spend changed
	 */
	record Priced(int priced, int duplicates, int deadLetters, int entries, long unpricedEntries, Set<String> tenants) {

	}

}
