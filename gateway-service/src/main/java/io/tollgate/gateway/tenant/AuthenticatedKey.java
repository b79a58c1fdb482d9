package io.tollgate.gateway.tenant;

/**
 * What the proxy needs to know about a valid key.
 *
 * @param apiKeyId the key id
 * @param tenantId its tenant
 */
public record AuthenticatedKey(String apiKeyId, String tenantId) {

}
