package io.tollgate.testsupport;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every Tollgate service answers to operations: health, readiness and liveness
 * probes (readiness includes its database) and Prometheus metrics tagged with the
 * service's name. A service's {@code *ApplicationIntegrationTests} extends it, started on
 * a random port with real infrastructure.
 */
public abstract class ServiceProbesContract {

	private final String serviceName;

	@Value("${local.server.port}")
	private int port;

	protected ServiceProbesContract(String serviceName) {
		this.serviceName = serviceName;
	}

	@Test
	protected void reportsHealthyAndReadyWithRealDatabase() {
		WebTestClient client = client();
		client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		client.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
	}

	@Test
	protected void exposesPrometheusMetricsTaggedWithTheService() {
		client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("jvm_memory_used_bytes")
				.contains("service=\"" + this.serviceName + "\""));
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

}
