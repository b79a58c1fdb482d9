package io.tollgate.gateway.usage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.UsageEvent;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.GatewayIntegrationTest;
import io.tollgate.gateway.TestTenants;
import io.tollgate.gateway.TestTenants.TenantKey;
import io.tollgate.gateway.UsageTopic;
import io.tollgate.simulator.ProviderSimulator;
import io.tollgate.simulator.Script;
import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing lost: model calls made while Kafka is down succeed, and their usage reaches the
 * topic exactly once and in order when Kafka returns, also when the gateway restarts in
 * between.
 */
@GatewayIntegrationTest
class UsageDurabilityIntegrationTests {

	static final ProviderSimulator simulator = ProviderSimulator.start();

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("tollgate.gateway.providers.anthropic.base-url", simulator::baseUrl);
	}

	@AfterAll
	static void stopSimulator() {
		simulator.close();
	}

	@Autowired
	private WebTestClient client;

	@TempDir
	Path spool;

	@Test
	void callsSucceedWhileKafkaIsDownAndTheirUsageArrivesOnceInOrderAfterwards(KafkaService kafka) {
		TenantKey key = TestTenants.create(this.client);
		kafka.makeUnavailable();
		try {
			for (int call = 1; call <= 5; call++) {
				callAnthropic(this.client, key, call);
			}
		}
		finally {
			kafka.makeAvailable();
		}
		assertThat(UsageTopic.eventsOf(key.tenantId(), 5)).extracting((event) -> event.tokens().input())
			.containsExactly(1L, 2L, 3L, 4L, 5L);
	}

	@Test
	void aGatewayRestartedWhileKafkaIsDownReplaysItsSpool(KafkaService kafka, PostgresService postgres) {
		TenantKey key = TestTenants.create(this.client);
		ConfigurableApplicationContext first = startGateway(postgres, kafka);
		kafka.makeUnavailable();
		ConfigurableApplicationContext second = null;
		try {
			WebTestClient firstClient = clientOf(first);
			for (int call = 1; call <= 4; call++) {
				callAnthropic(firstClient, key, call);
			}
			first.close();
			second = startGateway(postgres, kafka);
			callAnthropic(clientOf(second), key, 5);
		}
		finally {
			kafka.makeAvailable();
		}
		try {
			List<UsageEvent> events = UsageTopic.eventsOf(key.tenantId(), 5);
			assertThat(events).extracting((event) -> event.tokens().input()).containsExactly(1L, 2L, 3L, 4L, 5L);
		}
		finally {
			second.close();
		}
	}

	private ConfigurableApplicationContext startGateway(PostgresService postgres, KafkaService kafka) {
		List<String> properties = new ArrayList<>(
				List.of("server.port=0", "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
						"spring.r2dbc.url=" + postgres.r2dbcUrl(), "spring.r2dbc.username=" + postgres.username(),
						"spring.r2dbc.password=" + postgres.password(), "spring.flyway.url=" + postgres.jdbcUrl(),
						"spring.flyway.user=" + postgres.username(), "spring.flyway.password=" + postgres.password(),
						"tollgate.gateway.admin-token=" + GatewayIntegrationTest.ADMIN_TOKEN,
						"tollgate.service.internal-token=" + GatewayIntegrationTest.INTERNAL_TOKEN,
						"tollgate.gateway.usage.spool-directory=" + this.spool,
						"tollgate.gateway.providers.anthropic.base-url=" + simulator.baseUrl()));
		// As command-line arguments: they take precedence over application.yml, as in
		// production.
		return new SpringApplicationBuilder(GatewayApplication.class)
			.run(properties.stream().map((property) -> "--" + property).toArray(String[]::new));
	}

	private static WebTestClient clientOf(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
	}

	private static void callAnthropic(WebTestClient client, TenantKey key, int inputTokens) {
		simulator.enqueue(Script.tokens(inputTokens, 1));
		client.post()
			.uri("/v1/messages")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,\"messages\":[]}")
			.exchange()
			.expectStatus()
			.isOk();
	}

}
