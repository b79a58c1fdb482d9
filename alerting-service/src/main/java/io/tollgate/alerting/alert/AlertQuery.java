package io.tollgate.alerting.alert;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A request for a page of a tenant's alert history.
 *
 * @param tenantId the tenant
 * @param from the earliest occurrence (inclusive)
 * @param to the latest (exclusive)
 * @param type only alerts of this type, when given
 * @param apiKeyId only alerts about this key, when given
 * @param limit most alerts in the page
 * @param after the last alert of the previous page, when this is not the first
 */
record AlertQuery(String tenantId, Instant from, Instant to, @Nullable AlertType type, @Nullable String apiKeyId,
		int limit, @Nullable Cursor after) {

	/**
	 * Where a page ends: alerts are ordered newest first, ties by id.
	 *
	 * @param occurredAt the last alert's time
	 * @param alertId the last alert's id
	 */
	record Cursor(Instant occurredAt, String alertId) {

	}

}
