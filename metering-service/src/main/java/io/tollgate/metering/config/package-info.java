/**
 * Cross-cutting setup of the metering service: its settings, Kafka topics, listener
 * container and error handling.
 */
@NullMarked
package io.tollgate.metering.config;

import org.jspecify.annotations.NullMarked;
