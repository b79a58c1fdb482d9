/**
 * Background work the services run next to their Kafka listeners and web server:
 * {@link io.tollgate.support.lifecycle.BackgroundLoop}, the polling thread with wake-ups
 * and backoff that the outbox relay and billing's spend updates share.
 */
@NullMarked
package io.tollgate.support.lifecycle;

import org.jspecify.annotations.NullMarked;
