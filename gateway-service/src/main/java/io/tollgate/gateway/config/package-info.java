/**
 * Cross-cutting set-up of the gateway: its settings, Kafka, HTTP clients and error
 * handling.
 */
@NullMarked
package io.tollgate.gateway.config;

import org.jspecify.annotations.NullMarked;
