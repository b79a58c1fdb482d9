package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;

/**
 * The JSON of the price admin API (snake_case by the service's naming strategy). Money is
 * a string holding a plain decimal with at least two decimals ({@code "3.00"},
 * {@code "0.125"}), so that no client reads it as a double; times are RFC 3339 in UTC.
 */
public final class PriceViews {

	/** Providers, then models by name, then tiers and kinds in their declared order. */
	private static final Comparator<PriceRow> ORDER = Comparator
		.comparingInt((PriceRow row) -> order(row.provider(), Provider::fromWire))
		.thenComparing(PriceRow::model)
		.thenComparingInt((row) -> order(row.serviceTier(), ServiceTier::fromWire))
		.thenComparingInt((row) -> order(row.contextTier(), ContextTier::fromWire))
		.thenComparingInt((row) -> order(row.tokenKind(), TokenKind::fromWire));

	private PriceViews() {
	}

	/**
	 * {@code GET /admin/v1/prices}.
	 *
	 * @param at the time the prices are in force at
	 * @param data per model, its prices
	 */
	record PriceList(String at, List<ModelPrices> data) {

	}

	/**
	 * The prices of one catalog model.
	 *
	 * @param provider the provider
	 * @param model the catalog model
	 * @param tiers per service tier and context tier, the price of each token kind
	 */
	record ModelPrices(String provider, String model, List<TierPrices> tiers) {

	}

	/**
	 * The prices of one service tier and context tier.
	 *
	 * @param serviceTier the service tier
	 * @param contextTier the context tier
	 * @param prices per token kind
	 */
	record TierPrices(String serviceTier, String contextTier, Map<String, PriceInForce> prices) {

	}

	/**
	 * A price in force.
	 *
	 * @param usdPerMtok USD per million tokens
	 * @param effectiveFrom from when it applies
	 * @param source where it came from
	 * @param priceId its row, as recorded in the ledger
	 */
	record PriceInForce(String usdPerMtok, String effectiveFrom, String source, long priceId) {

	}

	/**
	 * {@code GET /admin/v1/prices/history}.
	 *
	 * @param data every version, oldest first
	 */
	record History(List<PriceVersion> data) {

	}

	/**
	 * One version: the prices of a model, service tier and context tier that one change
	 * set from one time on. Token kinds it does not list kept their earlier prices.
	 *
	 * @param provider the provider
	 * @param model the catalog model
	 * @param serviceTier the service tier
	 * @param contextTier the context tier
	 * @param effectiveFrom from when it applies
	 * @param source where it came from
	 * @param prices per token kind
	 */
	record PriceVersion(String provider, String model, String serviceTier, String contextTier, String effectiveFrom,
			String source, Map<String, VersionPrice> prices) {

	}

	/**
	 * A price of a version.
	 *
	 * @param usdPerMtok USD per million tokens
	 * @param priceId its row, as recorded in the ledger
	 */
	record VersionPrice(String usdPerMtok, long priceId) {

	}

	static PriceList list(Instant at, List<PriceRow> rows) {
		List<PriceRow> sorted = sorted(rows);
		List<ModelPrices> models = new ArrayList<>();
		List<TierPrices> tiers = null;
		Map<String, PriceInForce> prices = null;
		PriceRow previous = null;
		for (PriceRow row : sorted) {
			if (previous == null || !previous.provider().equals(row.provider())
					|| !previous.model().equals(row.model())) {
				tiers = new ArrayList<>();
				models.add(new ModelPrices(row.provider(), row.model(), tiers));
				prices = null;
			}
			if (prices == null || !previous.serviceTier().equals(row.serviceTier())
					|| !previous.contextTier().equals(row.contextTier())) {
				prices = new LinkedHashMap<>();
				Objects.requireNonNull(tiers).add(new TierPrices(row.serviceTier(), row.contextTier(), prices));
			}
			prices.put(row.tokenKind(),
					new PriceInForce(money(row.usdPerMtok()), row.effectiveFrom().toString(), row.source(), row.id()));
			previous = row;
		}
		return new PriceList(at.toString(), models);
	}

	/**
	 * Groups rows, oldest first, into versions.
	 * @param rows rows ordered by effective time
	 * @return the versions, in the order of their first row
	 */
	static List<PriceVersion> versions(List<PriceRow> rows) {
		Map<String, PriceVersion> versions = new LinkedHashMap<>();
		for (PriceRow row : rows) {
			String key = String.join("|", row.effectiveFrom().toString(), row.provider(), row.model(),
					row.serviceTier(), row.contextTier(), row.source());
			versions
				.computeIfAbsent(key,
						(k) -> new PriceVersion(row.provider(), row.model(), row.serviceTier(), row.contextTier(),
								row.effectiveFrom().toString(), row.source(), new LinkedHashMap<>()))
				.prices()
				.put(row.tokenKind(), new VersionPrice(money(row.usdPerMtok()), row.id()));
		}
		List<PriceVersion> ordered = new ArrayList<>(versions.values());
		// Kinds in their declared order within each version.
		ordered.replaceAll((version) -> new PriceVersion(version.provider(), version.model(), version.serviceTier(),
				version.contextTier(), version.effectiveFrom(), version.source(), byKind(version.prices())));
		return ordered;
	}

	private static <V> Map<String, V> byKind(Map<String, V> prices) {
		Map<String, V> ordered = new LinkedHashMap<>();
		for (TokenKind kind : TokenKind.values()) {
			V price = prices.get(kind.wire());
			if (price != null) {
				ordered.put(kind.wire(), price);
			}
		}
		prices.forEach(ordered::putIfAbsent);
		return ordered;
	}

	/**
	 * Money as the API writes it.
	 * @param amount an amount
	 * @return a plain decimal with at least two decimals, e.g. {@code 3.00},
	 * {@code 0.125}
	 */
	public static String money(BigDecimal amount) {
		BigDecimal normalised = CatalogFile.normalised(amount);
		return ((normalised.scale() < 2) ? normalised.setScale(2) : normalised).toPlainString();
	}

	private static List<PriceRow> sorted(List<PriceRow> rows) {
		List<PriceRow> sorted = new ArrayList<>(rows);
		sorted.sort(ORDER);
		return sorted;
	}

	private static int order(String wire, Function<String, Optional<? extends Enum<?>>> lookup) {
		return lookup.apply(wire).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
	}

}
