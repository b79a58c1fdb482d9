package io.tollgate.metering.web;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.metering.MeteringIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.testsupport.ApiCalls.expectError;

@MeteringIntegrationTest
class FrontDoorFilterIntegrationTests {

	private static final String INTERNAL_TOKEN = MeteringIntegrationTest.INTERNAL_TOKEN;

	@LocalServerPort
	private int port;

	@Test
	void refusesRequestsWithoutTheInternalToken() {
		client().get()
			.uri("/v1/usage?starting_at=2026-10-01T00:00:00Z")
			.header(FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType("application/json")
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("authentication_error")
			.jsonPath("$.error.code")
			.isEqualTo("internal_credential_required")
			.jsonPath("$.error.message")
			.isNotEmpty();
	}

	@Test
	void refusesAWrongInternalToken() {
		expectError(client().get()
			.uri("/v1/usage?starting_at=2026-10-01T00:00:00Z")
			.header(FrontDoorHeaders.INTERNAL_TOKEN, INTERNAL_TOKEN + "x")
			.header(FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER)
			.exchange(), HttpStatus.UNAUTHORIZED, "internal_credential_required");
	}

	@Test
	void refusesTheInternalTokenWithoutACaller() {
		expectError(client().get()
			.uri("/v1/usage?starting_at=2026-10-01T00:00:00Z")
			.header(FrontDoorHeaders.INTERNAL_TOKEN, INTERNAL_TOKEN)
			.header(FrontDoorHeaders.CALLER, FrontDoorHeaders.TENANT_CALLER)
			.exchange(), HttpStatus.UNAUTHORIZED, "caller_unknown");
	}

	@Test
	void refusesUnknownPathsWithoutTheInternalTokenToo() {
		client().get().uri("/nothing-here").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void servesActuatorWithoutTheInternalToken() {
		client().get().uri("/actuator/health").exchange().expectStatus().isOk();
		client().get().uri("/actuator").exchange().expectStatus().isOk();
	}

	@Test
	void answersUnknownPathsInTollgateShape() {
		client().get()
			.uri("/v1/nothing-here")
			.header(FrontDoorHeaders.INTERNAL_TOKEN, INTERNAL_TOKEN)
			.header(FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error")
			.jsonPath("$.error.code")
			.isEqualTo("not_found");
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

}
