package io.tollgate.gateway.tenant;

import java.time.Instant;

/**
 * A tenant: the unit of isolation, budgets and billing.
 *
 * @param id the tenant id carried by every usage event
 * @param name a display name
 * @param createdAt when it was created
 */
public record Tenant(String id, String name, Instant createdAt) {

}
