/**
 * The spend API: period-to-date spend and its forecast, read from the totals the ledger
 * maintains (never from the ledger itself).
 */
@NullMarked
package io.tollgate.billing.spend;

import org.jspecify.annotations.NullMarked;
