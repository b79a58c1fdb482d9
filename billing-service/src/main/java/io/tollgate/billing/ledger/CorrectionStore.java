package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.catalog.CorrectionRequest;
import io.tollgate.billing.catalog.PriceCorrection;
import io.tollgate.contract.Provider;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Stores a price correction and its adjusting ledger entries in one PostgreSQL
 * transaction; ledger rows are only ever added.
 *
 * <p>
 * Algorithm: take the {@link PricingLock} exclusively (first, so that this transaction
 * holds nothing a ledger batch could wait for while it waits for the batches pricing now
 * to commit); draw the correction's id; read the ledger entries of the correction's key
 * whose {@code usage_at} is in its range, summed per group with their earlier adjustments
 * ({@link Adjustments}); insert the correction with its summary; append the adjustments
 * and add them to {@code spend_hour} and {@code period_totals} with the batch path's own
 * code ({@link LedgerWriter}, same statements, same global row order); mark the affected
 * tenants in {@code spend_dirty} (last, as the batch path); commit.
 *
 * <p>
 * Concurrency: while the lock is held no batch prices a delta and no other correction
 * runs, so the ledger read is complete and stays true until commit: every entry of the
 * range that is committed is read, and no entry at the old price can commit later (a
 * batch waiting for the lock prices with this correction once it is granted, see
 * {@link PricingLock}). Ledger rows need no row locks: they are never updated. A budget
 * calendar change ({@code BudgetStore}) re-filing the tenant's totals from the ledger is
 * ordered by its lock on {@code period_totals}, as it is with batches.
 */
@Repository
class CorrectionStore {

	private static final String COLUMNS = "id, provider, model, service_tier, context_tier, token_kind, usd_per_mtok, "
			+ "usage_from, usage_to, reason, entries_adjusted, adjustment_entries, tenants_affected, net_amount, "
			+ "created_at";

	/**
	 * The ledger entries of the key and range, per group, as {@link Adjustments} reads
	 * them.
	 */
	private static final String GROUPS = "SELECT tenant_id, api_key_id, model, unpriced, "
			+ "date_bin('15 minutes', usage_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS quarter_hour, usd_per_mtok, "
			+ "sum(quantity)::bigint AS quantity, count(*) AS entries FROM ledger_entries "
			+ "WHERE provider = :provider AND priced_model = :model AND service_tier = :service_tier "
			+ "AND context_tier = :context_tier AND token_kind = :token_kind AND usage_at >= :from AND usage_at < :to "
			+ "AND usd_per_mtok <> :price::numeric "
			+ "GROUP BY tenant_id, api_key_id, model, unpriced, quarter_hour, usd_per_mtok "
			+ "HAVING sum(quantity) <> 0 ORDER BY tenant_id, quarter_hour, api_key_id, model, unpriced, usd_per_mtok";

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final PricingLock pricingLock;

	private final LedgerWriter writer;

	CorrectionStore(DatabaseClient db, ReactiveTransactionManager transactionManager, PricingLock pricingLock,
			LedgerWriter writer) {
		this.db = db;
		this.transactions = TransactionalOperator.create(transactionManager);
		this.pricingLock = pricingLock;
		this.writer = writer;
	}

	/**
	 * Stores a correction and adjusts the ledger, in one transaction.
	 * @param request the correction
	 * @return the correction as stored, with what it adjusted
	 */
	Mono<StoredCorrection> correct(CorrectionRequest request) {
		Mono<StoredCorrection> work = this.pricingLock.holdForCorrection().then(nextId()).flatMap((id) -> {
			PriceCorrection correction = new PriceCorrection(id, request.provider(), request.model(),
					request.serviceTier(), request.contextTier(), request.tokenKind(), request.usdPerMtok(),
					request.from(), request.to());
			return groups(correction).collectList()
				.map((groups) -> Adjustments.of(correction, groups))
				.flatMap((adjustments) -> insert(correction, request.reason(), adjustments.summary())
					.flatMap((stored) -> this.writer.append(adjustments.lines())
						.then(this.writer.markSpendChanged(adjustments.tenants()))
						.thenReturn(stored)));
		});
		return work.as(this.transactions::transactional);
	}

	/**
	 * The corrections, oldest first.
	 * @param provider only this provider, or all
	 * @param model only this catalog model, or all
	 * @return the corrections
	 */
	Flux<StoredCorrection> list(@Nullable Provider provider, @Nullable String model) {
		DatabaseClient.GenericExecuteSpec spec = this.db.sql("SELECT " + COLUMNS + " FROM price_corrections WHERE true"
				+ ((provider != null) ? " AND provider = :provider" : "")
				+ ((model != null) ? " AND model = :model" : "") + " ORDER BY id");
		if (provider != null) {
			spec = spec.bind("provider", provider.wire());
		}
		if (model != null) {
			spec = spec.bind("model", model);
		}
		return spec.map(CorrectionStore::stored).all();
	}

	private Mono<Long> nextId() {
		return this.db.sql("SELECT nextval(pg_get_serial_sequence('price_corrections', 'id'))")
			.map((row) -> required(row.get(0, Long.class)))
			.one();
	}

	private Flux<Adjustments.Group> groups(PriceCorrection correction) {
		return this.db.sql(GROUPS)
			.bind("provider", correction.provider().wire())
			.bind("model", correction.model())
			.bind("service_tier", correction.serviceTier().wire())
			.bind("context_tier", correction.contextTier().wire())
			.bind("token_kind", correction.tokenKind().wire())
			.bind("from", utc(correction.from()))
			.bind("to", utc(correction.to()))
			.bind("price", correction.usdPerMtok().toPlainString())
			.map((row) -> new Adjustments.Group(required(row.get("tenant_id", String.class)),
					required(row.get("api_key_id", String.class)), required(row.get("model", String.class)),
					required(row.get("unpriced", Boolean.class)), instant(row, "quarter_hour"),
					required(row.get("usd_per_mtok", BigDecimal.class)), required(row.get("quantity", Long.class)),
					required(row.get("entries", Long.class))))
			.all();
	}

	private Mono<StoredCorrection> insert(PriceCorrection correction, String reason, Adjustments.Summary summary) {
		return this.db.sql("INSERT INTO price_corrections (" + COLUMNS.replace(", created_at", "") + ") VALUES (:id, "
				+ ":provider, :model, :service_tier, :context_tier, :token_kind, :price::numeric, :from, :to, :reason, "
				+ ":entries_adjusted, :adjustment_entries, :tenants_affected, :net_amount::numeric) RETURNING "
				+ COLUMNS)
			.bind("id", correction.id())
			.bind("provider", correction.provider().wire())
			.bind("model", correction.model())
			.bind("service_tier", correction.serviceTier().wire())
			.bind("context_tier", correction.contextTier().wire())
			.bind("token_kind", correction.tokenKind().wire())
			.bind("price", correction.usdPerMtok().toPlainString())
			.bind("from", utc(correction.from()))
			.bind("to", utc(correction.to()))
			.bind("reason", reason)
			.bind("entries_adjusted", summary.entriesAdjusted())
			.bind("adjustment_entries", summary.adjustmentEntries())
			.bind("tenants_affected", summary.tenantsAffected())
			.bind("net_amount", summary.netAmount().toPlainString())
			.map(CorrectionStore::stored)
			.one();
	}

	private static StoredCorrection stored(Readable row) {
		return new StoredCorrection(required(row.get("id", Long.class)), required(row.get("provider", String.class)),
				required(row.get("model", String.class)), required(row.get("service_tier", String.class)),
				required(row.get("context_tier", String.class)), required(row.get("token_kind", String.class)),
				required(row.get("usd_per_mtok", BigDecimal.class)), instant(row, "usage_from"),
				instant(row, "usage_to"), required(row.get("reason", String.class)),
				new Adjustments.Summary(required(row.get("entries_adjusted", Long.class)),
						required(row.get("adjustment_entries", Long.class)),
						required(row.get("tenants_affected", Integer.class)),
						required(row.get("net_amount", BigDecimal.class))),
				instant(row, "created_at"));
	}

	private static Instant instant(Readable row, String column) {
		return required(row.get(column, OffsetDateTime.class)).toInstant();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("a NOT NULL column read as null");
		}
		return value;
	}

	/**
	 * A correction as stored.
	 *
	 * @param id its id, referenced by its ledger entries
	 * @param provider the provider (wire value)
	 * @param model the catalog model
	 * @param serviceTier the service tier (wire value)
	 * @param contextTier the context tier (wire value)
	 * @param tokenKind the token kind (wire value)
	 * @param usdPerMtok the corrected price
	 * @param from the first bucket start covered
	 * @param to the end of the range, exclusive
	 * @param reason why
	 * @param summary what it adjusted when stored
	 * @param createdAt when
	 */
	record StoredCorrection(long id, String provider, String model, String serviceTier, String contextTier,
			String tokenKind, BigDecimal usdPerMtok, Instant from, Instant to, String reason,
			Adjustments.Summary summary, Instant createdAt) {

	}

}
