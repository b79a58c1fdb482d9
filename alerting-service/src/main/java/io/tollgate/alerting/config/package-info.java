/**
 * The alerting service's settings and its Kafka, web client and clock setup.
 */
@NullMarked
package io.tollgate.alerting.config;

import org.jspecify.annotations.NullMarked;
