/**
 * Webhook endpoints: registration by tenants, their secrets and rotation, test messages.
 */
@NullMarked
package io.tollgate.alerting.webhook;

import org.jspecify.annotations.NullMarked;
