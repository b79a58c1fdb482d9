package io.tollgate.system;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.Endpoint;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.Provider;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.UsageEvent;
import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Usage from the ingest API to the usage API, through the gateway's front door: a
 * tenant's key posts events and reads its totals back; other tenants cannot; the admin
 * can name any tenant; metering itself refuses every call that did not come through the
 * gateway.
 */
@UsesKafka
@UsesPostgres
class UsageThroughGatewayIntegrationTests {

	private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);

	@Test
	void tenantReadsItsOwnUsageThroughTheGateway() {
		Stack stack = Stack.get();
		Stack.Key acme = stack.newTenantKey("acme");
		Stack.Key globex = stack.newTenantKey("globex");
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			events.add(event(acme, (i % 2 == 0) ? "claude-sonnet-4-5" : "claude-haiku-4-5", 100 + i, 10));
		}
		Stack.Answer ingest = Stack.call("POST", stack.gateway.baseUrl() + "/v1/usage-events",
				"[" + String.join(",", events) + "]", "x-api-key", acme.secret());
		assertThat(ingest.status()).as(ingest.body()).isEqualTo(200);
		assertThat(ingest.json().get("accepted").asInt()).isEqualTo(12);

		String query = "/v1/usage?starting_at=" + DAY + "&ending_at=" + DAY.plus(1, ChronoUnit.DAYS)
				+ "&bucket_width=1d&group_by=model";
		await().atMost(UsageEventsDeadline.DEADLINE).untilAsserted(() -> {
			Stack.Answer usage = Stack.call("GET", stack.gateway.baseUrl() + query, null, "x-api-key", acme.secret());
			assertThat(usage.status()).as(usage.body()).isEqualTo(200);
			assertThat(byModel(usage.json(), "uncached_input_tokens")).isEqualTo(Map.of("claude-sonnet-4-5",
					100L + 102 + 104 + 106 + 108 + 110, "claude-haiku-4-5", 101L + 103 + 105 + 107 + 109 + 111));
		});

		Stack.Answer other = Stack.call("GET", stack.gateway.baseUrl() + query, null, "x-api-key", globex.secret());
		assertThat(other.status()).isEqualTo(200);
		assertThat(byModel(other.json(), "uncached_input_tokens")).isEmpty();

		Stack.Answer naming = Stack.call("GET", stack.gateway.baseUrl() + query + "&tenant_id=" + acme.tenantId(), null,
				"x-api-key", globex.secret());
		assertThat(naming.status()).isEqualTo(403);
		assertThat(naming.json().at("/error/code").asString()).isEqualTo("tenant_forbidden");

		Stack.Answer admin = Stack.call("GET", stack.gateway.baseUrl() + query + "&tenant_id=" + acme.tenantId(), null,
				"authorization", "Bearer " + Stack.ADMIN_TOKEN);
		assertThat(admin.status()).as(admin.body()).isEqualTo(200);
		assertThat(byModel(admin.json(), "requests"))
			.isEqualTo(Map.of("claude-sonnet-4-5", 6L, "claude-haiku-4-5", 6L));
	}

	@Test
	void usageApiRefusesAnonymousAndBadKeysAtTheGateway() {
		Stack stack = Stack.get();
		Stack.Answer anonymous = Stack.call("GET", stack.gateway.baseUrl() + "/v1/usage?starting_at=" + DAY, null);
		assertThat(anonymous.status()).isEqualTo(401);
		Stack.Answer badKey = Stack.call("GET", stack.gateway.baseUrl() + "/v1/usage?starting_at=" + DAY, null,
				"x-api-key", "tg_not-a-real-key-000000000000000000000000000");
		assertThat(badKey.status()).isEqualTo(401);
	}

	@Test
	void meteringRefusesCallsThatDidNotComeThroughTheGateway() {
		Stack stack = Stack.get();
		String url = stack.metering.baseUrl() + "/v1/usage?starting_at=" + DAY;
		Stack.Answer direct = Stack.call("GET", url, null, "x-tollgate-caller", "admin", "x-tollgate-tenant-id", "x");
		assertThat(direct.status()).isEqualTo(401);
		assertThat(direct.json().at("/error/code").asString()).isEqualTo("internal_credential_required");
		Stack.Answer wrongToken = Stack.call("GET", url + "&tenant_id=x", null, "x-tollgate-internal-token",
				"guessed-token", "x-tollgate-caller", "admin");
		assertThat(wrongToken.status()).isEqualTo(401);
		Stack.Answer health = Stack.call("GET", stack.metering.baseUrl() + "/actuator/health", null);
		assertThat(health.status()).isEqualTo(200);
	}

	private static Map<String, Long> byModel(JsonNode report, String field) {
		Map<String, Long> totals = new java.util.TreeMap<>();
		for (JsonNode bucket : report.get("data")) {
			for (JsonNode result : bucket.get("results")) {
				totals.merge(result.get("model").asString(), result.get(field).asLong(), Long::sum);
			}
		}
		return totals;
	}

	private static String event(Stack.Key key, String model, long input, long output) {
		Instant completed = DAY.plus(10, ChronoUnit.HOURS).plusSeconds(input);
		return EventCodec.shared()
			.encodeToString(UsageEvent.builder()
				.tenantId(key.tenantId())
				.apiKeyId(key.keyId())
				.provider(Provider.ANTHROPIC)
				.model(model)
				.endpoint(Endpoint.MESSAGES)
				.tokens(new TokenCounts(input, output, 0, 0, 0, 0, 0))
				.stopReason("end_turn")
				.startedAt(completed.minusSeconds(2))
				.completedAt(completed)
				.upstreamLatencyMs(1500)
				.build());
	}

	private static final class UsageEventsDeadline {

		static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(60);

	}

}
