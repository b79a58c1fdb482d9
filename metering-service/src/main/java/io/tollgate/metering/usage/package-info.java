/**
 * The usage API, {@code GET /v1/usage}: a tenant's token aggregates in time buckets of a
 * minute, an hour or a day, optionally grouped by key, model, provider and tiers, in
 * pages of buckets. Modelled on Anthropic's Admin API usage report.
 */
@NullMarked
package io.tollgate.metering.usage;

import org.jspecify.annotations.NullMarked;
