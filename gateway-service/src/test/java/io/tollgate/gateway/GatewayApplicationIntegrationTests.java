package io.tollgate.gateway;

import java.time.Duration;

import io.tollgate.testsupport.ServiceProbesContract;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

@GatewayIntegrationTest
class GatewayApplicationIntegrationTests extends ServiceProbesContract {

	@Value("${local.server.port}")
	private int port;

	GatewayApplicationIntegrationTests() {
		super("gateway-service");
	}

	/**
	 * The gateway is ready only once it has read the key controls, which it does in the
	 * background after start-up: the probes are checked from then on.
	 */
	@BeforeEach
	void readyOnceTheKeyControlsAreRead() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
	}

}
