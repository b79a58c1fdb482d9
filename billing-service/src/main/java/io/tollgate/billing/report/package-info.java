/**
 * Spend reports read from the hourly spend the ledger maintains ({@code spend_hour}),
 * never from the ledger itself: {@code GET /v1/spend}, cost in time buckets modelled on
 * Anthropic's Admin API cost report, and {@code GET /v1/statements/{yyyy-mm}}, the
 * monthly statement in JSON or CSV. Both are tenant-scoped like every tenant read, and
 * validate their parameters like the usage API (module {@code service-support},
 * {@code io.tollgate.support.query}).
 */
@NullMarked
package io.tollgate.billing.report;

import org.jspecify.annotations.NullMarked;
