package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;

/**
 * A price row to insert, from the catalog file.
 *
 * @param provider the provider
 * @param model the catalog model
 * @param serviceTier the service tier
 * @param contextTier the context tier
 * @param tokenKind the token kind
 * @param usdPerMtok USD per million tokens
 * @param effectiveFrom from when it applies
 */
record NewPrice(Provider provider, String model, ServiceTier serviceTier, ContextTier contextTier, TokenKind tokenKind,
		BigDecimal usdPerMtok, Instant effectiveFrom) {

}
