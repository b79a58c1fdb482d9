package io.tollgate.gateway.tenant;

import java.time.Duration;
import java.util.Map;

import io.tollgate.gateway.GatewayIntegrationTest;
import io.tollgate.gateway.TestTenants;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@GatewayIntegrationTest
class TenantAdminIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private KeyDirectory keys;

	@Autowired
	private DatabaseClient db;

	@Test
	void createsKeyShownOnceAndStoredOnlyAsHash() {
		String tenant = newTenant();
		Map<?, ?> created = createKey(tenant, "ci-bot");
		String secret = (String) created.get("key");
		assertThat(secret).startsWith("tg_").hasSize(46);
		assertThat(created.get("prefix")).isEqualTo(secret.substring(0, 9));
		assertThat(created.get("tenant_id")).isEqualTo(tenant);

		this.client.get()
			.uri("/admin/v1/tenants/{tenant}/keys", tenant)
			.headers(this::admin)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].id")
			.isEqualTo(created.get("id"))
			.jsonPath("$[0].name")
			.isEqualTo("ci-bot")
			.jsonPath("$[0].key")
			.doesNotExist();

		Long rowsWithSecret = this.db
			.sql("SELECT count(*) FROM api_keys WHERE position(:secret in encode(secret_hash, 'escape')) > 0 "
					+ "OR prefix = :secret OR name = :secret")
			.bind("secret", secret)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
		assertThat(rowsWithSecret).isZero();
		StepVerifier.create(this.keys.authenticate(secret))
			.assertNext((key) -> assertThat(key).contains(new AuthenticatedKey((String) created.get("id"), tenant)))
			.verifyComplete();
	}

	@Test
	void answersAWrongMethodWithTheMethodsAllowedInTollgatesShape() {
		this.client.put()
			.uri("/admin/v1/tenants")
			.headers(this::admin)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.value(HttpHeaders.ALLOW, (allow) -> assertThat(allow).contains("POST").contains("GET"))
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.code")
			.isEqualTo("method_not_allowed");
	}

	@Test
	void refusesAdminApiWithoutTheAdminToken() {
		this.client.get()
			.uri("/admin/v1/tenants")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("missing_api_key");
		this.client.get()
			.uri("/admin/v1/tenants")
			.header("Authorization", "Bearer not-the-admin-token")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("invalid_admin_token");
	}

	@Test
	void refusesTenantKeyOnAdminApi() {
		String secret = (String) createKey(newTenant(), "app").get("key");
		this.client.get()
			.uri("/admin/v1/tenants")
			.header("x-api-key", secret)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void rejectsInvalidTenantIdAndDuplicateTenant() {
		this.client.post()
			.uri("/admin/v1/tenants")
			.headers(this::admin)
			.bodyValue(Map.of("id", "Not Valid!", "name", "x"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("invalid_tenant_id");
		String tenant = newTenant();
		this.client.post()
			.uri("/admin/v1/tenants")
			.headers(this::admin)
			.bodyValue(Map.of("id", tenant, "name", "again"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("tenant_exists");
		this.client.post()
			.uri("/admin/v1/tenants")
			.headers(this::admin)
			.bodyValue(Map.of("name", " "))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("invalid_request")
			.jsonPath("$.error.message")
			.value((message) -> assertThat((String) message).contains("name"));
	}

	@Test
	void revokedKeyIsRefusedAtOnce() {
		String tenant = newTenant();
		Map<?, ?> created = createKey(tenant, "app");
		String secret = (String) created.get("key");
		StepVerifier.create(this.keys.authenticate(secret))
			.expectNextMatches((key) -> key.isPresent())
			.verifyComplete();

		this.client.delete()
			.uri("/admin/v1/tenants/{tenant}/keys/{key}", tenant, created.get("id"))
			.headers(this::admin)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.revoked_at")
			.isNotEmpty();

		StepVerifier.create(this.keys.authenticate(secret)).expectNext(java.util.Optional.empty()).verifyComplete();
	}

	@Test
	void revocationByAnotherInstanceEvictsTheCachedKey() {
		String tenant = newTenant();
		Map<?, ?> created = createKey(tenant, "app");
		String secret = (String) created.get("key");
		StepVerifier.create(this.keys.authenticate(secret))
			.expectNextMatches((key) -> key.isPresent())
			.verifyComplete();

		// Another gateway instance revokes: the row changes and the notification arrives,
		// but
		// this instance's controller never ran.
		this.db
			.sql("WITH r AS (UPDATE api_keys SET revoked_at = now() WHERE id = :id RETURNING secret_hash) "
					+ "SELECT pg_notify('tollgate_api_key_revoked', encode(secret_hash, 'hex')) FROM r")
			.bind("id", created.get("id"))
			.fetch()
			.rowsUpdated()
			.block();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.keys.authenticate(secret).block()).isEmpty());
	}

	@Test
	void revokingAnUnknownKeyIsNotFound() {
		this.client.delete()
			.uri("/admin/v1/tenants/{tenant}/keys/{key}", newTenant(), "key_nope")
			.headers(this::admin)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("key_not_found");
	}

	private String newTenant() {
		return TestTenants.createTenant(this.client);
	}

	private Map<?, ?> createKey(String tenant, String name) {
		return TestTenants.createKey(this.client, tenant, name);
	}

	private void admin(HttpHeaders headers) {
		headers.setBearerAuth(GatewayIntegrationTest.ADMIN_TOKEN);
	}

}
