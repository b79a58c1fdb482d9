package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Appends ledger lines and maintains what is kept with the ledger, inside the caller's
 * transaction: the one place that writes {@code ledger_entries}, {@code spend_hour},
 * {@code period_totals} and {@code spend_dirty}, for the batch path ({@link LedgerStore})
 * and the correction path ({@link CorrectionStore}) alike.
 *
 * <p>
 * Lock order, the same for every caller: ledger entries (appended, no conflicts), then
 * {@code spend_hour} rows and then {@code period_totals} rows, each in one global order
 * (tenant first), and {@code spend_dirty} last. Callers take their own locks (offsets,
 * {@link PricingLock}) before any of these.
 */
@Component
class LedgerWriter {

	private final DatabaseClient db;

	LedgerWriter(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Appends the lines to the ledger and adds them to the hourly spend and the
	 * period-to-date totals.
	 * @param lines the lines, usage or adjustments, in any order
	 * @return completes when written
	 */
	Mono<Void> append(List<LedgerLine> lines) {
		return insertEntries(lines).then(upsertSpendHours(lines)).then(upsertPeriodTotals(lines));
	}

	private Mono<Void> insertEntries(List<LedgerLine> lines) {
		if (lines.isEmpty()) {
			return Mono.empty();
		}
		int size = lines.size();
		String[] types = new String[size];
		String[] deltaIds = new String[size];
		String[] tenants = new String[size];
		String[] keys = new String[size];
		String[] providers = new String[size];
		String[] models = new String[size];
		String[] pricedModels = new String[size];
		Boolean[] unpriced = new Boolean[size];
		String[] serviceTiers = new String[size];
		String[] contextTiers = new String[size];
		String[] kinds = new String[size];
		Long[] usageAt = new Long[size];
		Long[] quantities = new Long[size];
		String[] prices = new String[size];
		String[] amounts = new String[size];
		Long[] priceIds = new Long[size];
		Long[] correctionIds = new Long[size];
		for (int i = 0; i < size; i++) {
			LedgerLine line = lines.get(i);
			types[i] = line.entryType();
			deltaIds[i] = line.deltaId();
			tenants[i] = line.tenantId();
			keys[i] = line.apiKeyId();
			providers[i] = line.provider();
			models[i] = line.model();
			pricedModels[i] = line.pricedModel();
			unpriced[i] = line.unpriced();
			serviceTiers[i] = line.serviceTier();
			contextTiers[i] = line.contextTier();
			kinds[i] = line.tokenKind();
			usageAt[i] = line.usageAt().getEpochSecond();
			quantities[i] = line.quantity();
			prices[i] = line.usdPerMtok().toPlainString();
			amounts[i] = line.amount().toPlainString();
			priceIds[i] = line.priceId();
			correctionIds[i] = line.correctionId();
		}
		return this.db.sql("INSERT INTO ledger_entries (entry_type, delta_id, tenant_id, api_key_id, provider, model, "
				+ "priced_model, unpriced, service_tier, context_tier, token_kind, usage_at, quantity, usd_per_mtok, "
				+ "amount, price_id, correction_id) SELECT et, d, t, k, p, m, pm, u, st, ct, tk, to_timestamp(ua), q, "
				+ "up, a, pid, cid FROM unnest(:types::text[], :deltas::uuid[], :tenants::text[], :keys::text[], "
				+ ":providers::text[], :models::text[], :priced_models::text[], :unpriced::boolean[], "
				+ ":service_tiers::text[], :context_tiers::text[], :kinds::text[], :usage_at::bigint[], "
				+ ":quantities::bigint[], :prices::numeric[], :amounts::numeric[], :price_ids::bigint[], "
				+ ":correction_ids::bigint[]) AS x(et, d, t, k, p, m, pm, u, st, ct, tk, ua, q, up, a, pid, cid)")
			.bind("types", types)
			.bind("deltas", deltaIds)
			.bind("tenants", tenants)
			.bind("keys", keys)
			.bind("providers", providers)
			.bind("models", models)
			.bind("priced_models", pricedModels)
			.bind("unpriced", unpriced)
			.bind("service_tiers", serviceTiers)
			.bind("context_tiers", contextTiers)
			.bind("kinds", kinds)
			.bind("usage_at", usageAt)
			.bind("quantities", quantities)
			.bind("prices", prices)
			.bind("amounts", amounts)
			.bind("price_ids", priceIds)
			.bind("correction_ids", correctionIds)
			.fetch()
			.rowsUpdated()
			.then();
	}

	private record HourKey(String tenantId, Instant bucketStart, String apiKeyId, String model, String tokenKind,
			BigDecimal usdPerMtok, boolean unpriced) {

		static final Comparator<HourKey> ORDER = Comparator.comparing(HourKey::tenantId)
			.thenComparing(HourKey::bucketStart)
			.thenComparing(HourKey::apiKeyId)
			.thenComparing(HourKey::model)
			.thenComparing(HourKey::tokenKind)
			.thenComparing(HourKey::usdPerMtok)
			.thenComparing(HourKey::unpriced);

	}

	private record Sum(long quantity, BigDecimal amount) {

		Sum plus(Sum other) {
			return new Sum(Math.addExact(this.quantity, other.quantity), this.amount.add(other.amount));
		}

	}

	private Mono<Void> upsertSpendHours(List<LedgerLine> lines) {
		if (lines.isEmpty()) {
			return Mono.empty();
		}
		Map<HourKey, Sum> hours = new TreeMap<>(HourKey.ORDER);
		for (LedgerLine line : lines) {
			hours.merge(new HourKey(line.tenantId(), line.usageAt().truncatedTo(ChronoUnit.HOURS), line.apiKeyId(),
					line.spendModel(), line.tokenKind(), line.usdPerMtok().stripTrailingZeros(), line.unpriced()),
					new Sum(line.quantity(), line.amount()), Sum::plus);
		}
		int size = hours.size();
		String[] tenants = new String[size];
		Long[] buckets = new Long[size];
		String[] keys = new String[size];
		String[] models = new String[size];
		String[] kinds = new String[size];
		String[] prices = new String[size];
		Boolean[] unpriced = new Boolean[size];
		Long[] quantities = new Long[size];
		String[] amounts = new String[size];
		int i = 0;
		for (Map.Entry<HourKey, Sum> row : hours.entrySet()) {
			HourKey key = row.getKey();
			tenants[i] = key.tenantId();
			buckets[i] = key.bucketStart().getEpochSecond();
			keys[i] = key.apiKeyId();
			models[i] = key.model();
			kinds[i] = key.tokenKind();
			prices[i] = key.usdPerMtok().toPlainString();
			unpriced[i] = key.unpriced();
			quantities[i] = row.getValue().quantity();
			amounts[i] = row.getValue().amount().toPlainString();
			i++;
		}
		return this.db
			.sql("INSERT INTO spend_hour AS s (tenant_id, bucket_start, api_key_id, model, token_kind, usd_per_mtok, "
					+ "unpriced, quantity, amount) SELECT t, to_timestamp(b), k, m, tk, p, u, q, a "
					+ "FROM unnest(:tenants::text[], :buckets::bigint[], :keys::text[], :models::text[], "
					+ ":kinds::text[], :prices::numeric[], :unpriced::boolean[], :quantities::bigint[], "
					+ ":amounts::numeric[]) AS x(t, b, k, m, tk, p, u, q, a) "
					+ "ON CONFLICT (tenant_id, bucket_start, api_key_id, model, token_kind, usd_per_mtok, unpriced) "
					+ "DO UPDATE SET quantity = s.quantity + excluded.quantity, amount = s.amount + excluded.amount")
			.bind("tenants", tenants)
			.bind("buckets", buckets)
			.bind("keys", keys)
			.bind("models", models)
			.bind("kinds", kinds)
			.bind("prices", prices)
			.bind("unpriced", unpriced)
			.bind("quantities", quantities)
			.bind("amounts", amounts)
			.fetch()
			.rowsUpdated()
			.then();
	}

	private record PeriodKey(String tenantId, String apiKeyId, Instant usageAt) {

		static final Comparator<PeriodKey> ORDER = Comparator.comparing(PeriodKey::tenantId)
			.thenComparing(PeriodKey::apiKeyId)
			.thenComparing(PeriodKey::usageAt);

	}

	/**
	 * Adds the lines to the period-to-date totals of their tenants (api_key_id '') and
	 * keys. The period of a line is decided in SQL from the tenant's budget row read by
	 * the same statement, so a budget whose calendar changes at the same moment (see
	 * {@code BudgetStore}) cannot leave a batch counted in the old calendar.
	 */
	private Mono<Void> upsertPeriodTotals(List<LedgerLine> lines) {
		if (lines.isEmpty()) {
			return Mono.empty();
		}
		Map<PeriodKey, BigDecimal> totals = new TreeMap<>(PeriodKey.ORDER);
		for (LedgerLine line : lines) {
			totals.merge(new PeriodKey(line.tenantId(), "", line.usageAt()), line.amount(), BigDecimal::add);
			totals.merge(new PeriodKey(line.tenantId(), line.apiKeyId(), line.usageAt()), line.amount(),
					BigDecimal::add);
		}
		int size = totals.size();
		String[] tenants = new String[size];
		String[] keys = new String[size];
		Long[] usageAt = new Long[size];
		String[] amounts = new String[size];
		int i = 0;
		for (Map.Entry<PeriodKey, BigDecimal> row : totals.entrySet()) {
			tenants[i] = row.getKey().tenantId();
			keys[i] = row.getKey().apiKeyId();
			usageAt[i] = row.getKey().usageAt().getEpochSecond();
			amounts[i] = row.getValue().toPlainString();
			i++;
		}
		// Rows are locked in (tenant, key, period) order, as everywhere, so concurrent
		// batches cannot deadlock.
		return this.db
			.sql("INSERT INTO period_totals AS p (tenant_id, api_key_id, period_start, amount) "
					+ "SELECT x.t, x.k, budget_period_start(coalesce(b.period, 'month'), coalesce(b.time_zone, 'UTC'), "
					+ "to_timestamp(x.ua)) AS ps, sum(x.a) FROM unnest(:tenants::text[], :keys::text[], "
					+ ":usage_at::bigint[], :amounts::numeric[]) AS x(t, k, ua, a) "
					+ "LEFT JOIN budgets b ON b.tenant_id = x.t AND b.api_key_id = '' "
					+ "GROUP BY x.t, x.k, ps ORDER BY x.t, x.k, ps "
					+ "ON CONFLICT (tenant_id, api_key_id, period_start) "
					+ "DO UPDATE SET amount = p.amount + excluded.amount, updated_at = now()")
			.bind("tenants", tenants)
			.bind("keys", keys)
			.bind("usage_at", usageAt)
			.bind("amounts", amounts)
			.fetch()
			.rowsUpdated()
			.then();
	}

	/**
	 * Marks the tenants whose spend changed, for the spend update publisher (last in the
	 * transaction: it waits while the publisher takes the same rows).
	 */
	Mono<Void> markSpendChanged(Set<String> tenants) {
		if (tenants.isEmpty()) {
			return Mono.empty();
		}
		return this.db
			.sql("INSERT INTO spend_dirty (tenant_id) SELECT unnest(:tenants::text[]) ORDER BY 1 "
					+ "ON CONFLICT (tenant_id) DO NOTHING")
			.bind("tenants", tenants.toArray(String[]::new))
			.fetch()
			.rowsUpdated()
			.then();
	}

}
