package io.tollgate.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Reads billing's tables in the integration tests: counts, and sums kept as exact
 * decimals (a test compares amounts to the last digit, never as doubles).
 */
public final class BillingDatabase {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private BillingDatabase() {
	}

	/**
	 * The count a query answers.
	 * @param db the database
	 * @param sql a query answering one count
	 * @return the count, -1 when the query answers no row
	 */
	public static long count(DatabaseClient db, String sql) {
		return count(db, sql, "");
	}

	/**
	 * The count a query answers.
	 * @param db the database
	 * @param sql a query answering one count; {@code :t}, where it names it, is the
	 * tenant
	 * @param tenant the tenant
	 * @return the count, -1 when the query answers no row
	 */
	public static long count(DatabaseClient db, String sql, String tenant) {
		DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
		if (sql.contains(":t")) {
			spec = spec.bind("t", tenant);
		}
		Long count = spec.map((row) -> row.get(0, Long.class)).one().block(TIMEOUT);
		return (count != null) ? count : -1;
	}

	/**
	 * The amount a query answers.
	 * @param db the database
	 * @param sql a query answering one amount, with {@code :t} for the tenant
	 * @param tenant the tenant
	 * @return the amount, zero when the query answers no row
	 */
	public static BigDecimal sum(DatabaseClient db, String sql, String tenant) {
		BigDecimal sum = db.sql(sql).bind("t", tenant).map((row) -> row.get(0, BigDecimal.class)).one().block(TIMEOUT);
		return (sum != null) ? sum : BigDecimal.ZERO;
	}

	/**
	 * The sum of a tenant's ledger entries (usage and adjustments).
	 * @param db the database
	 * @param tenant the tenant
	 * @return the sum
	 */
	public static BigDecimal ledgerTotal(DatabaseClient db, String tenant) {
		return sum(db, "SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE tenant_id = :t", tenant);
	}

	/**
	 * A period-to-date total as the ledger files it.
	 * @param db the database
	 * @param tenant the tenant
	 * @param key the key, {@code ""} for the tenant's own total
	 * @param periodStart the period's start
	 * @return the total, zero when none is filed
	 */
	public static BigDecimal periodTotal(DatabaseClient db, String tenant, String key, Instant periodStart) {
		BigDecimal total = db
			.sql("SELECT amount FROM period_totals WHERE tenant_id = :t AND api_key_id = :k AND period_start = :p")
			.bind("t", tenant)
			.bind("k", key)
			.bind("p", periodStart.atOffset(ZoneOffset.UTC))
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block(TIMEOUT);
		return (total != null) ? total : BigDecimal.ZERO;
	}

}
