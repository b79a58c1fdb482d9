package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;

/**
 * A stored price correction ({@code price_corrections}) as the price book applies it:
 * usage of one provider, catalog model, service tier, context tier and token kind whose
 * bucket starts in {@code [from, to)} costs {@code usdPerMtok}, whatever the price
 * versions said. Inserted once, never updated; where corrections of the same key overlap,
 * the latest (greatest id) wins.
 *
 * @param id the correction's id, recorded in the ledger with every amount it priced
 * @param provider the provider
 * @param model the catalog model, as the ledger records it in {@code priced_model}
 * @param serviceTier the service tier of the usage
 * @param contextTier the context tier of the usage
 * @param tokenKind the token kind
 * @param usdPerMtok the corrected price, USD per million tokens
 * @param from the first bucket start it covers
 * @param to the end of the range, exclusive
 */
public record PriceCorrection(long id, Provider provider, String model, ServiceTier serviceTier,
		ContextTier contextTier, TokenKind tokenKind, BigDecimal usdPerMtok, Instant from, Instant to) {

	/**
	 * Whether the correction covers usage of its key at a time.
	 * @param at the usage's bucket start
	 * @return whether {@code from <= at < to}
	 */
	public boolean covers(Instant at) {
		return !at.isBefore(this.from) && at.isBefore(this.to);
	}

}
