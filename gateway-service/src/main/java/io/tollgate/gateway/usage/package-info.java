/**
 * Getting usage events to Kafka without ever failing or slowing a client's call: a
 * durable write-ahead spool on local disk, and a sender that publishes it to the usage
 * topic in order, through outages and restarts.
 */
@NullMarked
package io.tollgate.gateway.usage;

import org.jspecify.annotations.NullMarked;
