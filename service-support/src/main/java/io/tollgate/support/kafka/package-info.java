/**
 * Consumed offsets kept in PostgreSQL, committed in the same transaction as what a batch
 * wrote, and the fencing that makes a batch count once whichever consumer (a restarted
 * one, a rebalanced one, a zombie) processes it. See
 * docs/adr/0001-metering-exactly-once.md.
 */
@NullMarked
package io.tollgate.support.kafka;

import org.jspecify.annotations.NullMarked;
