package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One ledger entry: a quantity of one token kind at one unit price.
 *
 * @param entryType {@value #USAGE} (a delta priced) or {@value #ADJUSTMENT} (written by a
 * price correction)
 * @param deltaId the metered-usage delta priced; {@code null} for an adjustment
 * @param tenantId the tenant
 * @param apiKeyId the key
 * @param provider the provider (wire value)
 * @param model the model as reported
 * @param pricedModel the catalog model whose price applied (the fallback's when unpriced)
 * @param unpriced whether the model had no price of its own
 * @param serviceTier the service tier (wire value)
 * @param contextTier the context tier (wire value)
 * @param tokenKind the token kind (wire value, e.g. {@code cache_write_5m})
 * @param usageAt when the usage happened (its bucket start; for an adjustment, the start
 * of the quarter hour of the entries it adjusts)
 * @param quantity tokens, negative in an adjustment that reverses entries
 * @param usdPerMtok the unit price, USD per million tokens
 * @param amount {@code quantity x usdPerMtok / 1,000,000}, exact
 * @param priceId the price version used, when one did (never on adjustments)
 * @param correctionId the price correction whose price applied, or that wrote the
 * adjustment
 */
record LedgerLine(String entryType, @Nullable String deltaId, String tenantId, String apiKeyId, String provider,
		String model, String pricedModel, boolean unpriced, String serviceTier, String contextTier, String tokenKind,
		Instant usageAt, long quantity, BigDecimal usdPerMtok, BigDecimal amount, @Nullable Long priceId,
		@Nullable Long correctionId) {

	/** The entry type of a priced delta. */
	static final String USAGE = "usage";

	/** The entry type of an entry written by a price correction. */
	static final String ADJUSTMENT = "adjustment";

	private static final int MICRO_SCALE = 6;

	/**
	 * The exact amount of a quantity at a price per million: no rounding, ever.
	 * @param quantity tokens
	 * @param usdPerMtok price per million tokens
	 * @return the amount in USD
	 */
	static BigDecimal amount(long quantity, BigDecimal usdPerMtok) {
		return usdPerMtok.multiply(BigDecimal.valueOf(quantity)).movePointLeft(MICRO_SCALE).stripTrailingZeros();
	}

	/**
	 * The model spend is reported under: the catalog's, or the reported one when
	 * unpriced.
	 */
	String spendModel() {
		return this.unpriced ? this.model : this.pricedModel;
	}

}
