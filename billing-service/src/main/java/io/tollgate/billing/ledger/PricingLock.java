package io.tollgate.billing.ledger;

import io.tollgate.billing.catalog.PriceBook;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Orders price corrections with the pricing of deltas, across every billing instance: one
 * PostgreSQL advisory lock ({@link #KEY}), held to the end of the transaction, shared by
 * every ledger batch that prices deltas and exclusive for a price correction.
 *
 * <p>
 * Why: a batch prices its deltas with the in-memory {@link PriceBook}, which may not hold
 * a correction committed a moment ago by another instance (it reads the table again every
 * minute). Under the shared lock, after it is granted, the batch reads the greatest
 * committed correction id and {@link PriceBook#catchUp catches the book up} to it before
 * pricing. A correction takes the lock exclusively before anything else, so either a
 * batch held the lock first (the correction waits for it to commit, then its ledger read
 * sees the batch's entries and adjusts them), or the correction did (the batch waits,
 * then reads its id and prices with it); neither can leave an entry at the old price
 * behind. Corrections also exclude each other, so correction ids are assigned and
 * committed in the same order and the greatest id read is a complete watermark.
 *
 * <p>
 * Deadlocks: a batch takes the lock right after its offsets, before it writes anything,
 * and a correction takes it first, so a transaction waiting for this lock holds no row
 * that a holder of it could wait for.
 */
@Component
class PricingLock {

	/**
	 * The advisory lock's key, {@code "tgprices"} in ASCII: no other lock of the database
	 * uses it.
	 */
	static final long KEY = 0x7467_7072_6963_6573L;

	private final DatabaseClient db;

	private final PriceBook book;

	PricingLock(DatabaseClient db, PriceBook book) {
		this.db = db;
		this.book = book;
	}

	/**
	 * In a batch transaction, before pricing: takes the lock shared, then makes the price
	 * book apply every committed correction.
	 * @return completes when the book can price
	 */
	Mono<Void> holdForPricing() {
		// Two statements: a statement sees what was committed when it began, and the
		// correction this waits for commits during the first.
		return this.db.sql("SELECT pg_advisory_xact_lock_shared(:key)")
			.bind("key", KEY)
			.then()
			.then(latestCorrection())
			.flatMap(this.book::catchUp);
	}

	/**
	 * In a correction transaction, first of all: takes the lock exclusively, waiting for
	 * the batches pricing now.
	 * @return completes when the lock is held
	 */
	Mono<Void> holdForCorrection() {
		return this.db.sql("SELECT pg_advisory_xact_lock(:key)").bind("key", KEY).then();
	}

	private Mono<Long> latestCorrection() {
		return this.db.sql("SELECT coalesce(max(id), 0) FROM price_corrections")
			.map((row) -> row.get(0, Long.class))
			.one()
			.defaultIfEmpty(0L);
	}

}
