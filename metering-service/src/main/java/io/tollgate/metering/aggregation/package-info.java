/**
 * Exactly-once aggregation of the usage topic into minute, hour and day buckets.
 *
 * <p>
 * {@link io.tollgate.metering.aggregation.UsageAggregator} consumes batches;
 * {@link io.tollgate.metering.aggregation.Intake} sorts each record into countable or
 * dead letter; {@link io.tollgate.metering.aggregation.AggregateStore} writes aggregates,
 * the dedup set, the consumed offsets and the outbox in one PostgreSQL transaction
 * (docs/adr/0001-metering-exactly-once.md).
 */
@NullMarked
package io.tollgate.metering.aggregation;

import org.jspecify.annotations.NullMarked;
