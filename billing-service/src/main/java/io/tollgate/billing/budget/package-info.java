/**
 * Budgets: a cap per tenant, and optionally per key, per budget period, with alert
 * thresholds and whether the cap pauses access; the admin API that sets them.
 */
@NullMarked
package io.tollgate.billing.budget;

import org.jspecify.annotations.NullMarked;
