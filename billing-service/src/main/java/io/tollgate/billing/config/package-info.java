/**
 * Cross-cutting setup of the billing service: its settings, the shared web plumbing and
 * Kafka.
 */
@NullMarked
package io.tollgate.billing.config;

import org.jspecify.annotations.NullMarked;
