package io.tollgate.billing.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Reads current spend from what the ledger maintains: per scope one primary-key lookup in
 * {@code period_totals} and one index range over at most a day of {@code spend_hour} rows
 * for the recent rate. The period comes from the tenant's budget row through
 * {@code budget_period_start}, the same function the ledger files spend under.
 */
@Repository
class SpendStore {

	private static final String CURRENT = """
			WITH scope AS (
				SELECT * FROM unnest(:tenants::text[], :keys::text[]) AS s(tenant_id, api_key_id)
			), settings AS (
				SELECT s.tenant_id, s.api_key_id, coalesce(t.period, 'month') AS period,
					coalesce(t.time_zone, 'UTC') AS zone, b.cap_usd, b.alert_thresholds, b.pause_at_cap
				FROM scope s
				LEFT JOIN budgets t ON t.tenant_id = s.tenant_id AND t.api_key_id = ''
				LEFT JOIN budgets b ON b.tenant_id = s.tenant_id AND b.api_key_id = s.api_key_id
			), bounds AS (
				SELECT st.*, budget_period_start(period, zone, :now) AS period_start,
					budget_period_end(period, zone, :now) AS period_end,
					greatest(budget_period_start(period, zone, :now),
						date_trunc('hour', :now::timestamptz) - interval '23 hours') AS recent_from
				FROM settings st
			)
			SELECT b.tenant_id, b.api_key_id, b.period_start, b.period_end, b.recent_from, b.cap_usd,
				b.alert_thresholds, coalesce(b.pause_at_cap, false) AS pause_at_cap,
				coalesce(p.amount, 0) AS spend_to_date,
				(SELECT coalesce(sum(h.amount), 0) FROM spend_hour h
					WHERE h.tenant_id = b.tenant_id AND (b.api_key_id = '' OR h.api_key_id = b.api_key_id)
					AND h.bucket_start >= b.recent_from AND h.bucket_start <= :now) AS recent_spend
			FROM bounds b
			LEFT JOIN period_totals p ON p.tenant_id = b.tenant_id AND p.api_key_id = b.api_key_id
				AND p.period_start = b.period_start
			ORDER BY b.tenant_id, b.api_key_id
			""";

	private final DatabaseClient db;

	SpendStore(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * The current figures of each scope.
	 * @param scopes the tenants ({@link Scope#apiKeyId()} empty) and keys to read
	 * @param now the instant the figures are for
	 * @return one figure per scope, ordered by tenant and key
	 */
	Flux<SpendFigures> current(Collection<Scope> scopes, Instant now) {
		if (scopes.isEmpty()) {
			return Flux.empty();
		}
		return this.db.sql(CURRENT)
			.bind("tenants", scopes.stream().map(Scope::tenantId).toArray(String[]::new))
			.bind("keys", scopes.stream().map(Scope::apiKeyId).toArray(String[]::new))
			.bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.map((row) -> figures(row, now))
			.all();
	}

	private static SpendFigures figures(Readable row, Instant now) {
		Integer[] thresholds = row.get("alert_thresholds", Integer[].class);
		return new SpendFigures(required(row.get("tenant_id", String.class)),
				required(row.get("api_key_id", String.class)), instant(row, "period_start"), instant(row, "period_end"),
				required(row.get("spend_to_date", BigDecimal.class)),
				required(row.get("recent_spend", BigDecimal.class)), instant(row, "recent_from"),
				row.get("cap_usd", BigDecimal.class), (thresholds != null) ? List.of(thresholds) : List.of(),
				Boolean.TRUE.equals(row.get("pause_at_cap", Boolean.class)), now);
	}

	private static Instant instant(Readable row, String column) {
		return required(row.get(column, OffsetDateTime.class)).toInstant();
	}

	private static <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("a NOT NULL column read as null");
		}
		return value;
	}

	/**
	 * Whose spend to read.
	 *
	 * @param tenantId the tenant
	 * @param apiKeyId one of its keys, or empty for the whole tenant
	 */
	record Scope(String tenantId, String apiKeyId) {

	}

}
