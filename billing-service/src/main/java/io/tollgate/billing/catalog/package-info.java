/**
 * The price catalog: versioned prices per provider, model, service tier, context tier and
 * token kind, seeded from {@code catalog/prices.json}, changed only by adding versions
 * through the admin API, and the in-memory {@link io.tollgate.billing.catalog.PriceBook}
 * the ledger prices usage with.
 */
@NullMarked
package io.tollgate.billing.catalog;

import org.jspecify.annotations.NullMarked;
