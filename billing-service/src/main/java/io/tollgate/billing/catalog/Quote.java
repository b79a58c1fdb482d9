package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The prices that apply to one model's usage at one time, from {@link PriceBook#quote}.
 *
 * <p>
 * A priced quote has a price and a price id for every token kind. An unpriced quote
 * ({@code unpriced == true}) carries the provider's fallback model's prices, or none at
 * all (every kind {@link Price#NONE}, zero) when no fallback applies; the ledger records
 * such usage with its flag so that nobody is silently billed zero.
 *
 * @param pricedModel the catalog model whose prices apply: the reported model's catalog
 * entry, the fallback model when unpriced, or the reported model itself when not even a
 * fallback applies
 * @param unpriced whether the reported model had no price of its own at that time
 * @param prices the price of each token kind; a kind without a price is absent (read them
 * with {@link #price})
 */
public record Quote(String pricedModel, boolean unpriced, Map<TokenKind, Price> prices) {

	public Quote {
		prices = Map.copyOf(prices);
	}

	/**
	 * The price of a token kind.
	 * @param kind the token kind
	 * @return the price, {@link Price#NONE} (zero, no id) when there is none
	 */
	public Price price(TokenKind kind) {
		Price price = this.prices.get(kind);
		return (price != null) ? price : Price.NONE;
	}

	/**
	 * A unit price and the price version it comes from.
	 *
	 * @param usdPerMtok USD per million tokens, exact
	 * @param priceId the id of the {@code prices} row, for the ledger's {@code price_id}:
	 * the version in force, also when a correction replaced its price; {@code null} only
	 * for {@link #NONE} (or a correction of a kind without a version)
	 * @param correctionId the price correction whose price this is, for the ledger's
	 * {@code correction_id}; {@code null} when the version's price applies
	 */
	public record Price(BigDecimal usdPerMtok, @Nullable Long priceId, @Nullable Long correctionId) {

		/** No price at all: zero, and the quote is flagged unpriced. */
		public static final Price NONE = new Price(BigDecimal.ZERO, null);

		/**
		 * A version's price, uncorrected.
		 * @param usdPerMtok USD per million tokens
		 * @param priceId the version's row
		 */
		public Price(BigDecimal usdPerMtok, @Nullable Long priceId) {
			this(usdPerMtok, priceId, null);
		}

	}

}
