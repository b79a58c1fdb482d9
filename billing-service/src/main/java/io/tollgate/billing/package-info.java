/**
 * Tollgate's billing service. Prices metered usage with a versioned catalog into an
 * append-only cost ledger; budgets, spend API and statements.
 */
@NullMarked
package io.tollgate.billing;

import org.jspecify.annotations.NullMarked;
