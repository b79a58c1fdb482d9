/**
 * Alerts: their types, the tenant's alert history, and turning an alert into queued
 * webhook deliveries.
 */
@NullMarked
package io.tollgate.alerting.alert;

import org.jspecify.annotations.NullMarked;
