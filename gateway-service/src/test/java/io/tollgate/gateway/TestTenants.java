package io.tollgate.gateway;

import java.util.Map;
import java.util.UUID;

import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Creates a fresh tenant and key through the admin API, so every test has data of its
 * own.
 */
public final class TestTenants {

	private TestTenants() {
	}

	/**
	 * A tenant's key, secret included.
	 *
	 * @param tenantId the tenant
	 * @param keyId the key id
	 * @param secret the key
	 */
	public record TenantKey(String tenantId, String keyId, String secret) {

	}

	public static TenantKey create(WebTestClient client) {
		String tenant = createTenant(client);
		Map<?, ?> key = createKey(client, tenant, "test");
		return new TenantKey(tenant, (String) key.get("id"), (String) key.get("key"));
	}

	public static String createTenant(WebTestClient client) {
		String tenant = "t-" + UUID.randomUUID();
		client.post()
			.uri("/admin/v1/tenants")
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.ADMIN_TOKEN))
			.bodyValue(Map.of("id", tenant, "name", "Tenant " + tenant))
			.exchange()
			.expectStatus()
			.isCreated();
		return tenant;
	}

	/**
	 * Creates a key and returns the admin API's answer (id, prefix, the secret as key,
	 * ...).
	 */
	public static Map<?, ?> createKey(WebTestClient client, String tenant, String name) {
		return client.post()
			.uri("/admin/v1/tenants/{tenant}/keys", tenant)
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.ADMIN_TOKEN))
			.bodyValue(Map.of("name", name))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

}
