package io.tollgate.alerting.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.tollgate.alerting.AlertingApplication;
import io.tollgate.alerting.AlertingIntegrationTest;
import io.tollgate.alerting.Events;
import io.tollgate.alerting.FrontDoor;
import io.tollgate.alerting.Hooks;
import io.tollgate.contract.ContractEvent;
import io.tollgate.contract.EventIds;
import io.tollgate.contract.SpendUpdate;
import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.TestInfrastructure;
import io.tollgate.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budget alerts from the spend topic to a real receiver: each threshold once per budget
 * and period, however often billing repeats the figures, again after a correction lowers
 * spend, and again in the next period.
 */
@AlertingIntegrationTest
class BudgetAlertIntegrationTests {

	private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");

	private static final Instant DECEMBER = Instant.parse("2026-12-01T00:00:00Z");

	private static final Instant JANUARY = Instant.parse("2027-01-01T00:00:00Z");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private KafkaTemplate<byte[], byte[]> kafka;

	@Test
	void firesEachThresholdOncePerPeriodAndAgainInTheNext() throws Exception {
		String tenant = "budget-" + UUID.randomUUID();
		WebTestClient client = FrontDoor.asTenant(this.port, tenant, "key-1");
		try (Hooks.Hook hook = Hooks.register(client, "budget.threshold_reached", "budget.cap_reached")) {
			WebhookReceiver receiver = hook.receiver();
			publish(spend(tenant, NOVEMBER, DECEMBER, "60", NOVEMBER.plus(Duration.ofDays(10))));
			publish(spend(tenant, NOVEMBER, DECEMBER, "60", NOVEMBER.plus(Duration.ofDays(10)).plusSeconds(1)));
			publish(spend(tenant, NOVEMBER, DECEMBER, "85", NOVEMBER.plus(Duration.ofDays(12))));
			publish(spend(tenant, NOVEMBER, DECEMBER, "100", NOVEMBER.plus(Duration.ofDays(14))));
			publish(spend(tenant, NOVEMBER, DECEMBER, "120", NOVEMBER.plus(Duration.ofDays(15))));
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.verified().size() >= 4);
			publish(spend(tenant, DECEMBER, JANUARY, "55", DECEMBER.plus(Duration.ofDays(3))));
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.verified().size() >= 5);

			List<String> seen = receiver.verified().stream().map((delivery) -> describe(delivery.body())).toList();
			assertThat(seen).containsExactlyInAnyOrder("budget.threshold_reached 50 2026-11-01T00:00:00Z",
					"budget.threshold_reached 80 2026-11-01T00:00:00Z",
					"budget.threshold_reached 100 2026-11-01T00:00:00Z", "budget.cap_reached - 2026-11-01T00:00:00Z",
					"budget.threshold_reached 50 2026-12-01T00:00:00Z");
			assertThat(receiver.deliveries()).allSatisfy((delivery) -> assertThat(delivery.verified()).isTrue());
		}
		client.get()
			.uri("/v1/alerts?type=budget.threshold_reached&starting_at=2026-11-01T00:00:00Z&ending_at=2027-01-01T00:00:00Z")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.length()")
			.isEqualTo(4)
			.jsonPath("$.data[0].data.threshold_percent")
			.isEqualTo(50)
			.jsonPath("$.data[0].data.budget.period_start")
			.isEqualTo("2026-12-01T00:00:00Z");
	}

	@Test
	void reArmsAThresholdWhenACorrectionLowersSpendBelowIt() throws Exception {
		String tenant = "rearm-" + UUID.randomUUID();
		WebTestClient client = FrontDoor.asTenant(this.port, tenant, "key-1");
		try (Hooks.Hook hook = Hooks.register(client, "budget.threshold_reached")) {
			WebhookReceiver receiver = hook.receiver();
			Instant at = NOVEMBER.plus(Duration.ofDays(5));
			publish(spend(tenant, NOVEMBER, DECEMBER, "55", at));
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.verified().size() == 1);
			publish(spend(tenant, NOVEMBER, DECEMBER, "40", at.plusSeconds(60)));
			publish(spend(tenant, NOVEMBER, DECEMBER, "52", at.plusSeconds(120)));
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.verified().size() == 2);
			assertThat(receiver.verified()).extracting((delivery) -> describe(delivery.body()))
				.containsOnly("budget.threshold_reached 50 2026-11-01T00:00:00Z");
			assertThat(receiver.verified()).extracting(WebhookReceiver.Delivery::webhookId).doesNotHaveDuplicates();
		}
	}

	@Test
	void firesEachThresholdOnceWithASecondInstanceAndAcrossItsStop() throws Exception {
		String tenant = "instances-" + UUID.randomUUID();
		WebTestClient client = FrontDoor.asTenant(this.port, tenant, "key-1");
		try (Hooks.Hook hook = Hooks.register(client, "budget.threshold_reached")) {
			WebhookReceiver receiver = hook.receiver();
			Instant at = NOVEMBER.plus(Duration.ofDays(8));
			try (ConfigurableApplicationContext second = secondInstance()) {
				publish(spend(tenant, NOVEMBER, DECEMBER, "55", at));
				publish(spend(tenant, NOVEMBER, DECEMBER, "56", at.plusSeconds(1)));
				await().atMost(Duration.ofSeconds(60)).until(() -> receiver.verified().size() == 1);
			}
			// The second instance is gone mid-period: its partitions come back here, with
			// what it committed, and nothing fires twice.
			publish(spend(tenant, NOVEMBER, DECEMBER, "57", at.plusSeconds(2)));
			publish(spend(tenant, NOVEMBER, DECEMBER, "81", at.plusSeconds(3)));
			await().atMost(Duration.ofSeconds(60)).until(() -> receiver.verified().size() == 2);
			publish(spend(tenant, NOVEMBER, DECEMBER, "82", at.plusSeconds(4)));
			assertThat(receiver.verified()).extracting((delivery) -> describe(delivery.body()))
				.containsExactlyInAnyOrder("budget.threshold_reached 50 2026-11-01T00:00:00Z",
						"budget.threshold_reached 80 2026-11-01T00:00:00Z");
		}
	}

	/** Another alerting instance on the same database and consumer group. */
	private static ConfigurableApplicationContext secondInstance() {
		PostgresService postgres = TestInfrastructure.postgres();
		KafkaService kafka = TestInfrastructure.kafka();
		List<String> properties = List.of("server.port=0", "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"spring.r2dbc.url=" + postgres.r2dbcUrl(), "spring.r2dbc.username=" + postgres.username(),
				"spring.r2dbc.password=" + postgres.password(), "spring.flyway.url=" + postgres.jdbcUrl(),
				"spring.flyway.user=" + postgres.username(), "spring.flyway.password=" + postgres.password(),
				"tollgate.service.internal-token=" + AlertingIntegrationTest.INTERNAL_TOKEN,
				"tollgate.alerting.webhooks.secret-key=" + AlertingIntegrationTest.SECRET_KEY,
				"tollgate.alerting.webhooks.allowed-networks=127.0.0.0/8",
				"tollgate.alerting.webhooks.poll-interval=100ms");
		return new SpringApplicationBuilder(AlertingApplication.class)
			.run(properties.stream().map((property) -> "--" + property).toArray(String[]::new));
	}

	private void publish(ContractEvent event) throws Exception {
		Events.publish(this.kafka, event);
	}

	private static SpendUpdate spend(String tenant, Instant start, Instant end, String spend, Instant asOf) {
		return new SpendUpdate(EventIds.uuidV7(), tenant, null, start, end, SpendUpdate.USD, new BigDecimal(spend),
				new BigDecimal("100"), new BigDecimal(spend), asOf, false, List.of(50, 80, 100));
	}

	private static String describe(String body) {
		JsonNode message = JSON.readTree(body);
		JsonNode data = message.path("data");
		return message.path("type").asString() + " "
				+ (data.has("threshold_percent") ? data.path("threshold_percent").asString() : "-") + " "
				+ data.path("budget").path("period_start").asString();
	}

}
