/**
 * The usage ingest API, {@code POST /v1/usage-events}: usage events from applications
 * that call providers directly, validated by the contract's rules and durable in Kafka
 * before the answer.
 */
@NullMarked
package io.tollgate.gateway.ingest;

import org.jspecify.annotations.NullMarked;
