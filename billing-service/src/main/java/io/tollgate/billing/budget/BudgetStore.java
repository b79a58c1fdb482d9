package io.tollgate.billing.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Budgets in PostgreSQL ({@code budgets}, one row per tenant with {@code api_key_id = ''}
 * and one per key with a budget).
 *
 * <p>
 * Every change marks the tenant in {@code spend_dirty}, so a new cap reaches the spend
 * topic within a publishing round even when no usage arrives. A change of the tenant's
 * calendar (period or time zone) re-files its period-to-date totals under the new
 * periods, from the ledger, in the same transaction: {@code period_totals} is locked
 * against ledger writes first, so a batch either committed before (and is in the rebuild)
 * or files its spend afterwards under the new calendar, which its statement reads from
 * this table once this transaction has committed.
 */
@Repository
class BudgetStore {

	private static final String COLUMNS = "tenant_id, api_key_id, cap_usd, period, time_zone, alert_thresholds, "
			+ "pause_at_cap, created_at, updated_at";

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	BudgetStore(DatabaseClient db, ReactiveTransactionManager transactionManager) {
		this.db = db;
		this.transactions = TransactionalOperator.create(transactionManager);
	}

	/** The tenant's budget first, then its keys' by key id. */
	Flux<Budget> list(String tenantId) {
		return this.db.sql("SELECT " + COLUMNS + " FROM budgets WHERE tenant_id = :tenant ORDER BY api_key_id")
			.bind("tenant", tenantId)
			.map(BudgetStore::budget)
			.all();
	}

	/** One budget; {@code apiKeyId} empty for the tenant's. */
	Mono<Budget> find(String tenantId, String apiKeyId) {
		return this.db.sql("SELECT " + COLUMNS + " FROM budgets WHERE tenant_id = :tenant AND api_key_id = :key")
			.bind("tenant", tenantId)
			.bind("key", apiKeyId)
			.map(BudgetStore::budget)
			.one();
	}

	/**
	 * Whether PostgreSQL knows a time zone (its tz database may differ from the JDK's).
	 */
	Mono<Boolean> knowsTimeZone(String zone) {
		return this.db.sql("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = :zone)")
			.bind("zone", zone)
			.map((row) -> Boolean.TRUE.equals(row.get(0, Boolean.class)))
			.one();
	}

	/**
	 * Sets a budget, creating or replacing it.
	 * @param tenantId the tenant
	 * @param apiKeyId the key, or empty for the tenant's budget (which carries the
	 * calendar)
	 * @param change the budget
	 * @return the budget as stored
	 */
	Mono<Budget> put(String tenantId, String apiKeyId, BudgetChange change) {
		boolean tenantBudget = apiKeyId.isEmpty();
		Mono<Budget> work = calendar(tenantId).flatMap((before) -> {
			DatabaseClient.GenericExecuteSpec upsert = this.db
				.sql("INSERT INTO budgets AS b (" + COLUMNS + ") "
						+ "VALUES (:tenant, :key, :cap, :period, :zone, :thresholds, :pause, now(), now()) "
						+ "ON CONFLICT (tenant_id, api_key_id) DO UPDATE SET cap_usd = excluded.cap_usd, "
						+ "period = excluded.period, time_zone = excluded.time_zone, "
						+ "alert_thresholds = excluded.alert_thresholds, pause_at_cap = excluded.pause_at_cap, "
						+ "updated_at = now() RETURNING " + COLUMNS)
				.bind("tenant", tenantId)
				.bind("key", apiKeyId)
				.bind("cap", change.capUsd())
				.bind("thresholds", change.alertThresholds().toArray(Integer[]::new))
				.bind("pause", change.pauseAtCap());
			upsert = tenantBudget ? upsert.bind("period", change.period()).bind("zone", change.timeZone())
					: upsert.bindNull("period", String.class).bindNull("zone", String.class);
			Calendar after = tenantBudget ? new Calendar(change.period(), change.timeZone()) : before;
			return upsert.map(BudgetStore::budget)
				.one()
				.flatMap((budget) -> refile(tenantId, before, after).then(markChanged(tenantId)).thenReturn(budget));
		});
		return work.as(this.transactions::transactional);
	}

	/**
	 * Removes a budget.
	 * @return whether there was one
	 */
	Mono<Boolean> delete(String tenantId, String apiKeyId) {
		Mono<Boolean> work = calendar(tenantId)
			.flatMap((before) -> this.db.sql("DELETE FROM budgets WHERE tenant_id = :tenant AND api_key_id = :key")
				.bind("tenant", tenantId)
				.bind("key", apiKeyId)
				.fetch()
				.rowsUpdated()
				.flatMap((deleted) -> {
					if (deleted == 0) {
						return Mono.just(false);
					}
					Calendar after = apiKeyId.isEmpty() ? Calendar.DEFAULT : before;
					return refile(tenantId, before, after).then(markChanged(tenantId)).thenReturn(true);
				}));
		return work.as(this.transactions::transactional);
	}

	/** The tenant's calendar, its budget row locked until the transaction ends. */
	private Mono<Calendar> calendar(String tenantId) {
		return this.db
			.sql("SELECT period, time_zone FROM budgets WHERE tenant_id = :tenant AND api_key_id = '' FOR UPDATE")
			.bind("tenant", tenantId)
			.map((row) -> new Calendar(required(row.get("period", String.class)),
					required(row.get("time_zone", String.class))))
			.one()
			.defaultIfEmpty(Calendar.DEFAULT);
	}

	private Mono<Void> refile(String tenantId, Calendar before, Calendar after) {
		if (before.equals(after)) {
			return Mono.empty();
		}
		return this.db.sql("LOCK TABLE period_totals IN SHARE ROW EXCLUSIVE MODE")
			.then()
			.then(this.db.sql("DELETE FROM period_totals WHERE tenant_id = :tenant").bind("tenant", tenantId).then())
			.then(this.db
				.sql("INSERT INTO period_totals (tenant_id, api_key_id, period_start, amount) "
						+ "SELECT e.tenant_id, k.api_key_id, budget_period_start(:period, :zone, e.usage_at) AS ps, "
						+ "sum(e.amount) FROM ledger_entries e "
						+ "CROSS JOIN LATERAL (VALUES (''), (e.api_key_id)) AS k(api_key_id) "
						+ "WHERE e.tenant_id = :tenant GROUP BY e.tenant_id, k.api_key_id, ps")
				.bind("tenant", tenantId)
				.bind("period", after.period())
				.bind("zone", after.timeZone())
				.then());
	}

	private Mono<Void> markChanged(String tenantId) {
		return this.db.sql("INSERT INTO spend_dirty (tenant_id) VALUES (:tenant) ON CONFLICT (tenant_id) DO NOTHING")
			.bind("tenant", tenantId)
			.then();
	}

	private static Budget budget(Readable row) {
		String key = required(row.get("api_key_id", String.class));
		Integer[] thresholds = required(row.get("alert_thresholds", Integer[].class));
		return new Budget(required(row.get("tenant_id", String.class)), key.isEmpty() ? null : key,
				required(row.get("cap_usd", BigDecimal.class)).toPlainString(), row.get("period", String.class),
				row.get("time_zone", String.class), List.of(thresholds),
				Boolean.TRUE.equals(row.get("pause_at_cap", Boolean.class)),
				required(row.get("created_at", OffsetDateTime.class)).toInstant(),
				required(row.get("updated_at", OffsetDateTime.class)).toInstant());
	}

	private static <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("a NOT NULL column read as null");
		}
		return value;
	}

	/**
	 * A tenant's budget calendar.
	 *
	 * @param period month, week or day
	 * @param timeZone the IANA zone
	 */
	record Calendar(String period, String timeZone) {

		static final Calendar DEFAULT = new Calendar(BudgetChange.DEFAULT_PERIOD, BudgetChange.DEFAULT_ZONE);

	}

}
