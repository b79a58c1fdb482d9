package io.tollgate.billing.report;

import java.math.BigDecimal;

/**
 * The spend of one model, token kind, unit price and pricing status over a month, as
 * summed from {@code spend_hour}.
 *
 * @param model the catalog model, or the reported one when unpriced
 * @param tokenKind the token kind (wire value)
 * @param usdPerMtok the unit price, USD per million tokens
 * @param unpriced whether the model had no price of its own (priced by the fallback rule)
 * @param quantity tokens, net of corrections
 * @param amount the exact amount in USD, net of corrections
 */
record StatementRow(String model, String tokenKind, BigDecimal usdPerMtok, boolean unpriced, long quantity,
		BigDecimal amount) {

}
