package io.tollgate.gateway.keycontrol;

import java.time.Duration;
import java.util.Map;

import io.tollgate.contract.KeyControl;
import io.tollgate.gateway.GatewayIntegrationTest;
import io.tollgate.gateway.TestTenants;
import io.tollgate.gateway.TestTenants.TenantKey;
import io.tollgate.simulator.ProviderSimulator;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keys paused at the gateway end to end: decisions published on the real key-controls
 * topic as alerting publishes them, calls through the gateway to the provider simulator.
 * Every wait for a decision to take effect is bounded by {@link #DECISION_DEADLINE}.
 */
@GatewayIntegrationTest
class KeyControlIntegrationTests {

	/** Generous for a loaded machine: the design target is well under a second. */
	private static final Duration DECISION_DEADLINE = Duration.ofSeconds(5);

	static final ProviderSimulator simulator = ProviderSimulator.start();

	private static final LoopResources loops = LoopResources.create("tenant-api", 1, 1, true);

	/** Stands in for the services behind the front door. */
	private static final DisposableServer tenantApi = HttpServer.create()
		.runOn(loops)
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> response.status(200)
			.header("content-type", "application/json")
			.sendString(Mono.just("{\"served_by\":\"tenant-api\"}"))
			.then())
		.bindNow();

	private static KeyControlTopic topic;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("tollgate.gateway.providers.anthropic.base-url", simulator::baseUrl);
		registry.add("tollgate.gateway.providers.openai.base-url", simulator::baseUrl);
		registry.add("tollgate.gateway.providers.gemini.base-url", simulator::baseUrl);
		registry.add("tollgate.gateway.front-door.routes[0].path-prefix", () -> "/v1/spend");
		registry.add("tollgate.gateway.front-door.routes[0].service-url", () -> "http://127.0.0.1:" + tenantApi.port());
	}

	@BeforeAll
	static void createTopic() {
		KeyControlTopic.create();
		topic = new KeyControlTopic();
	}

	@AfterAll
	static void stop() {
		topic.close();
		simulator.close();
		tenantApi.disposeNow();
		loops.disposeLater().block();
	}

	@Autowired
	private WebTestClient client;

	@Test
	void refusesAPausedKeyWithTheReasonAndWhenAccessReturns() {
		TenantKey paused = TestTenants.create(this.client);
		String other = secretOfNewKey(paused.tenantId());
		KeyControl pause = topic.pause(paused.tenantId(), paused.keyId(), KeyControl.BUDGET_EXHAUSTED,
				"Budget 'prod' ($100.00 a month) is spent", Duration.ofHours(1));

		awaitStatus(paused.secret(), 429);

		WebTestClient.ResponseSpec refused = anthropic(paused.secret()).expectStatus().isEqualTo(429);
		refused.expectHeader()
			.value("retry-after", (seconds) -> assertThat(Long.parseLong(seconds)).isBetween(3500L, 3600L));
		refused.expectBody()
			.jsonPath("$.type")
			.isEqualTo("error")
			.jsonPath("$.error.type")
			.isEqualTo("rate_limit_error")
			.jsonPath("$.error.code")
			.isEqualTo("budget_exhausted")
			.jsonPath("$.error.message")
			.value(String.class,
					(message) -> assertThat(message).contains(paused.keyId())
						.contains("Budget 'prod' ($100.00 a month) is spent")
						.contains("Access returns at " + pause.until()))
			.jsonPath("$.error.retry_at")
			.isEqualTo(pause.until().toString())
			.jsonPath("$.error.pause_scope")
			.isEqualTo("api_key")
			.jsonPath("$.error.control_id")
			.isEqualTo(pause.controlId());
		anthropic(other).expectStatus().isOk();
	}

	@Test
	void refusesAPausedKeysModelCallsAndIngestInEachRoutesShapeButNotItsTenantApis() {
		TenantKey key = TestTenants.create(this.client);
		topic.pause(key.tenantId(), key.keyId(), KeyControl.RUNAWAY_LOOP,
				"Runaway loop: the same request 500 times in 5 minutes", Duration.ofMinutes(15));
		awaitStatus(key.secret(), 429);

		this.client.post()
			.uri("/v1/chat/completions")
			.headers((headers) -> headers.setBearerAuth(key.secret()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists("retry-after")
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("runaway_loop")
			.jsonPath("$.error.type")
			.isEqualTo("insufficient_quota")
			.jsonPath("$.error.retry_at")
			.exists();
		this.client.post()
			.uri("/v1beta/models/gemini-2.5-flash:generateContent")
			.header("x-goog-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(429)
			.jsonPath("$.error.status")
			.isEqualTo("RESOURCE_EXHAUSTED")
			.jsonPath("$.error.reason")
			.isEqualTo("runaway_loop");
		this.client.post()
			.uri("/v1/usage-events")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("[]")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists("retry-after")
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("rate_limit_error")
			.jsonPath("$.error.code")
			.isEqualTo("runaway_loop");
		this.client.get()
			.uri("/v1/spend")
			.header("x-api-key", key.secret())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.served_by")
			.isEqualTo("tenant-api");
	}

	@Test
	void aTenantWidePauseRefusesEveryKeyOfTheTenantButNotAnotherTenants() {
		TenantKey first = TestTenants.create(this.client);
		String second = secretOfNewKey(first.tenantId());
		TenantKey otherTenant = TestTenants.create(this.client);
		topic.pause(first.tenantId(), KeyControl.ALL_KEYS, KeyControl.MANUAL, null, null);

		awaitStatus(first.secret(), 429);

		anthropic(second).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.doesNotExist("retry-after")
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("manual")
			.jsonPath("$.error.pause_scope")
			.isEqualTo("tenant")
			.jsonPath("$.error.message")
			.isEqualTo("Every API key of tenant " + first.tenantId()
					+ " is paused (manual). It stays paused until it is resumed.");
		anthropic(otherTenant.secret()).expectStatus().isOk();
	}

	@Test
	void aResumeLetsThePausedKeyCallAgain() {
		TenantKey key = TestTenants.create(this.client);
		topic.pause(key.tenantId(), key.keyId(), KeyControl.MANUAL, "Paused by the operator", null);
		awaitStatus(key.secret(), 429);

		topic.resume(key.tenantId(), key.keyId(), KeyControl.MANUAL);

		awaitStatus(key.secret(), 200);
	}

	@Test
	void aTombstoneLiftsATenantsPause() {
		TenantKey key = TestTenants.create(this.client);
		KeyControl pause = topic.pause(key.tenantId(), KeyControl.ALL_KEYS, KeyControl.BUDGET_EXHAUSTED, null,
				Duration.ofDays(10));
		awaitStatus(key.secret(), 429);

		topic.tombstone(pause.partitionKey());

		awaitStatus(key.secret(), 200);
	}

	@Test
	void aPausedKeyCallsAgainOnceItsUntilHasPassed() {
		TenantKey key = TestTenants.create(this.client);
		topic.pause(key.tenantId(), key.keyId(), KeyControl.BUDGET_EXHAUSTED, null, Duration.ofMinutes(10));
		awaitStatus(key.secret(), 429);

		TestClock.shared().advance(Duration.ofMinutes(10).plusSeconds(1));

		// No decision needed: the pause carries its end.
		anthropic(key.secret()).expectStatus().isOk();
	}

	@Test
	void becomesReadyOnceTheKeyControlsAreRead() {
		// Reading the topic runs in the background from start-up on, so readiness may
		// still be out of service when the first test runs.
		await().atMost(DECISION_DEADLINE)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> this.client.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP"));
	}

	private void awaitStatus(String secret, int status) {
		await().atMost(DECISION_DEADLINE)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> anthropic(secret).expectStatus().isEqualTo(status));
	}

	private WebTestClient.ResponseSpec anthropic(String secret) {
		return this.client.post()
			.uri("/v1/messages")
			.header("x-api-key", secret)
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange();
	}

	private String secretOfNewKey(String tenantId) {
		Map<?, ?> created = TestTenants.createKey(this.client, tenantId, "second");
		return (String) created.get("key");
	}

}
