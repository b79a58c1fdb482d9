package io.tollgate.alerting;

import java.time.Duration;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;

import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Calls the alerting service as the gateway's front door would: with the internal token
 * and the caller it authenticated.
 */
public final class FrontDoor {

	private FrontDoor() {
	}

	/** A client acting as one of a tenant's keys. */
	public static WebTestClient asTenant(int port, String tenantId, String apiKeyId) {
		return client(port).mutate()
			.defaultHeader(FrontDoorHeaders.INTERNAL_TOKEN, AlertingIntegrationTest.INTERNAL_TOKEN)
			.defaultHeader(FrontDoorHeaders.CALLER, FrontDoorHeaders.TENANT_CALLER)
			.defaultHeader(FrontDoorHeaders.TENANT_ID, tenantId)
			.defaultHeader(FrontDoorHeaders.API_KEY_ID, apiKeyId)
			.build();
	}

	/** A client with the admin credential. */
	public static WebTestClient asAdmin(int port) {
		return client(port).mutate()
			.defaultHeader(FrontDoorHeaders.INTERNAL_TOKEN, AlertingIntegrationTest.INTERNAL_TOKEN)
			.defaultHeader(FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER)
			.build();
	}

	/** A client without any front-door headers, as a caller bypassing the gateway. */
	public static WebTestClient client(int port) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

}
