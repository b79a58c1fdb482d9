/**
 * Webhook deliveries: the queue in PostgreSQL, the sender, its retries, and the guard on
 * where it may connect.
 */
@NullMarked
package io.tollgate.alerting.delivery;

import org.jspecify.annotations.NullMarked;
