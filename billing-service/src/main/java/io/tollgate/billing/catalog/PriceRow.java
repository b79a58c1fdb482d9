package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One price version as stored in {@code prices}: inserted, never updated.
 *
 * @param id the row id, recorded in the ledger with every amount priced by it
 * @param provider the provider (wire value)
 * @param model the catalog model
 * @param serviceTier the service tier (wire value)
 * @param contextTier the context tier (wire value)
 * @param tokenKind the token kind (wire value)
 * @param usdPerMtok USD per million tokens
 * @param effectiveFrom from when it applies
 * @param source where it came from: {@code catalog:<file>@<checked_on>} or
 * {@code admin: <reason>}
 */
record PriceRow(long id, String provider, String model, String serviceTier, String contextTier, String tokenKind,
		BigDecimal usdPerMtok, Instant effectiveFrom, String source) {

}
