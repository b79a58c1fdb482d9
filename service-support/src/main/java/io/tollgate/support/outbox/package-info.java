/**
 * The transactional outbox: records to publish (metered-usage deltas, dead letters) are
 * written to PostgreSQL in the same transaction as the aggregates they come from, and a
 * relay publishes them to Kafka afterwards.
 */
@NullMarked
package io.tollgate.support.outbox;

import org.jspecify.annotations.NullMarked;
