/**
 * The cost ledger: each metered-usage delta priced once into append-only entries, with
 * hourly spend and period-to-date totals maintained in the same transaction; price
 * corrections recorded as adjustment entries, never by rewriting rows.
 */
@NullMarked
package io.tollgate.billing.ledger;

import org.jspecify.annotations.NullMarked;
