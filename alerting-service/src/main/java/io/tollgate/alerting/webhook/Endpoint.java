package io.tollgate.alerting.webhook;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A webhook endpoint as stored (secrets sealed).
 *
 * @param endpointId its id
 * @param tenantId the tenant it belongs to
 * @param url where messages go
 * @param description the tenant's note
 * @param eventTypes the message types it receives
 * @param enabled whether it receives any
 * @param secret the sealed current secret
 * @param previousSecret the sealed secret before the last rotation, while it still signs
 * @param previousUntil until when the previous secret still signs
 * @param disabledReason why Tollgate disabled it, when it did
 * @param failingSince since when every delivery has failed, when they do
 * @param createdAt when it was registered
 */
public record Endpoint(String endpointId, String tenantId, String url, String description, List<String> eventTypes,
		boolean enabled, byte[] secret, byte @Nullable [] previousSecret, @Nullable Instant previousUntil,
		@Nullable String disabledReason, @Nullable Instant failingSince, Instant createdAt) {

	public Endpoint {
		eventTypes = List.copyOf(eventTypes);
	}

}
