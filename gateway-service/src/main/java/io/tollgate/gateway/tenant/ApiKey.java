package io.tollgate.gateway.tenant;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A Tollgate API key as listed: never its secret.
 *
 * @param id the key id, carried by usage events as {@code api_key_id}
 * @param tenantId its tenant
 * @param name a display name
 * @param prefix the secret's first characters, to recognise a key
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, or null while active
 */
public record ApiKey(String id, String tenantId, String name, String prefix, Instant createdAt,
		@Nullable Instant revokedAt) {

	boolean active() {
		return this.revokedAt == null;
	}

}
