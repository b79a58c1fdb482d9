package io.tollgate.gateway.frontdoor;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.tollgate.gateway.GatewayIntegrationTest;
import io.tollgate.gateway.TestTenants;
import io.tollgate.gateway.TestTenants.TenantKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The front door against a stand-in service that echoes what reached it.
 */
@GatewayIntegrationTest
class FrontDoorIntegrationTests {

	private static final String INTERNAL_TOKEN = "internal-token-for-tests-0123456789";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final LoopResources loops = LoopResources.create("echo-service", 1, 1, true);

	private static final DisposableServer service = HttpServer.create()
		.runOn(loops)
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.flatMap((body) -> {
				Map<String, Object> echo = new java.util.LinkedHashMap<>();
				echo.put("method", request.method().name());
				echo.put("uri", request.uri());
				echo.put("internal_token", String.valueOf(request.requestHeaders().get("x-tollgate-internal-token")));
				echo.put("caller", String.valueOf(request.requestHeaders().get("x-tollgate-caller")));
				echo.put("tenant_id", String.valueOf(request.requestHeaders().get("x-tollgate-tenant-id")));
				echo.put("api_key", String.valueOf(request.requestHeaders().get("x-api-key")));
				echo.put("custom", String.valueOf(request.requestHeaders().get("x-custom")));
				echo.put("body", body);
				return response.status(201)
					.header("content-type", "application/json")
					.header("x-service", "echo")
					.sendString(Mono.just(json.writeValueAsString(echo)))
					.then();
			}))
		.bindNow();

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		registry.add("tollgate.service.internal-token", () -> INTERNAL_TOKEN);
		registry.add("tollgate.gateway.front-door.routes[0].path-prefix", () -> "/v1/usage");
		registry.add("tollgate.gateway.front-door.routes[0].service-url", () -> "http://127.0.0.1:" + service.port());
		registry.add("tollgate.gateway.front-door.routes[1].path-prefix", () -> "/admin/v1/prices");
		registry.add("tollgate.gateway.front-door.routes[1].service-url", () -> "http://127.0.0.1:" + service.port());
		registry.add("tollgate.gateway.front-door.routes[1].access", () -> "admin");
		registry.add("tollgate.gateway.front-door.routes[2].path-prefix", () -> "/v1/spend");
		registry.add("tollgate.gateway.front-door.routes[2].service-url", () -> "http://127.0.0.1:1");
	}

	@AfterAll
	static void stopService() {
		service.disposeNow();
		loops.disposeLater().block();
	}

	@Autowired
	private WebTestClient client;

	@Test
	void forwardsATenantCallWithTheTenantAttachedAndItsOwnCredentialRemoved() {
		TenantKey key = TestTenants.create(this.client);
		this.client.post()
			.uri("/v1/usage/report?bucket_width=1h")
			.header("x-api-key", key.secret())
			.header("x-custom", "kept")
			.header("x-tollgate-tenant-id", "someone-else")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"hello\":\"world\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("x-service", "echo")
			.expectBody()
			.jsonPath("$.method")
			.isEqualTo("POST")
			.jsonPath("$.uri")
			.isEqualTo("/v1/usage/report?bucket_width=1h")
			.jsonPath("$.internal_token")
			.isEqualTo(INTERNAL_TOKEN)
			.jsonPath("$.caller")
			.isEqualTo("tenant")
			.jsonPath("$.tenant_id")
			.isEqualTo(key.tenantId())
			.jsonPath("$.api_key")
			.isEqualTo("null")
			.jsonPath("$.custom")
			.isEqualTo("kept")
			.jsonPath("$.body")
			.isEqualTo("{\"hello\":\"world\"}");
	}

	@Test
	void forwardsTheAdminAsAdminWithoutATenant() {
		this.client.get()
			.uri("/v1/usage?tenant_id=acme")
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.ADMIN_TOKEN))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.caller")
			.isEqualTo("admin")
			.jsonPath("$.tenant_id")
			.isEqualTo("null")
			.jsonPath("$.uri")
			.isEqualTo("/v1/usage?tenant_id=acme");
	}

	@Test
	void refusesATenantKeyOnAnAdminRouteAndAnUnknownKeyEverywhere() {
		TenantKey key = TestTenants.create(this.client);
		this.client.get()
			.uri("/admin/v1/prices")
			.header("x-api-key", key.secret())
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.get()
			.uri("/v1/usage")
			.header("x-api-key", "tg_" + "B".repeat(43))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("invalid_api_key");
	}

	@Test
	void answersBadGatewayInOneShapeWhenTheServiceIsDown() {
		TenantKey key = TestTenants.create(this.client);
		this.client.get()
			.uri("/v1/spend/current")
			.header("x-api-key", key.secret())
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("service_unavailable")
			.jsonPath("$.error.type")
			.isEqualTo("api_error");
	}

}
