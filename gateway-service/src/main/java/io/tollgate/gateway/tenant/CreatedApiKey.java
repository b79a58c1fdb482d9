package io.tollgate.gateway.tenant;

import java.time.Instant;

/**
 * The answer to creating a key: the only time its secret is shown.
 *
 * @param id the key id
 * @param tenantId its tenant
 * @param name a display name
 * @param prefix the secret's first characters
 * @param key the secret, {@code tg_...}
 * @param createdAt when it was created
 */
record CreatedApiKey(String id, String tenantId, String name, String prefix, String key, Instant createdAt) {

}
