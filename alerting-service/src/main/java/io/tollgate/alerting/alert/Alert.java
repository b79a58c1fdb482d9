package io.tollgate.alerting.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An alert: a row of the tenant's alert history and the message its webhooks carry.
 *
 * @param alertId unique id
 * @param tenantId the tenant
 * @param apiKeyId the key it concerns, {@code null} for the whole tenant
 * @param type what it is about
 * @param occurredAt when the condition was seen (the event's time, not the wall clock's)
 * @param data the evidence, as the webhook's {@code data} (snake_case keys)
 */
public record Alert(String alertId, String tenantId, @Nullable String apiKeyId, AlertType type, Instant occurredAt,
		Map<String, Object> data) {

	// Evidence may hold nulls (a tenant budget has no key) and reads best in its order.
	public Alert {
		data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
	}

}
