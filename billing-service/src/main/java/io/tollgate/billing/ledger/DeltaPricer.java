package io.tollgate.billing.ledger;

import java.util.List;

import io.tollgate.contract.MeteredUsage;

/**
 * Prices one metered-usage delta: one ledger line per token kind with a non-zero
 * quantity, at the prices in force at the delta's bucket start.
 */
@FunctionalInterface
interface DeltaPricer {

	List<LedgerLine> price(MeteredUsage delta);

}
