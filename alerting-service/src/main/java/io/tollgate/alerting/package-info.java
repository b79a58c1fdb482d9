/**
 * Tollgate's alerting service. Budget, forecast and runaway-loop alerts as signed
 * webhooks; pauses keys at the gateway through the key-controls topic.
 */
@NullMarked
package io.tollgate.alerting;

import org.jspecify.annotations.NullMarked;
