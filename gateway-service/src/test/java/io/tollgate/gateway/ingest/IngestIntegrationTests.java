package io.tollgate.gateway.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.EventIds;
import io.tollgate.contract.UsageEvent;
import io.tollgate.gateway.GatewayIntegrationTest;
import io.tollgate.gateway.TestTenants;
import io.tollgate.gateway.TestTenants.TenantKey;
import io.tollgate.gateway.UsageTopic;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@GatewayIntegrationTest
class IngestIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Test
	void publishesAcceptedEventsToKafkaForTheKeysTenant() {
		TenantKey key = TestTenants.create(this.client);
		Map<String, Object> first = event(null);
		Map<String, Object> second = event(key.tenantId());
		post(key, List.of(first, second)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.accepted")
			.isEqualTo(2)
			.jsonPath("$.results[0].status")
			.isEqualTo("accepted")
			.jsonPath("$.results[1].event_id")
			.isEqualTo(second.get("event_id"));

		List<UsageEvent> published = UsageTopic.eventsOf(key.tenantId(), 2);
		assertThat(published).extracting(UsageEvent::eventId)
			.containsExactly((String) first.get("event_id"), (String) second.get("event_id"));
		assertThat(published).allSatisfy((event) -> {
			assertThat(event.tenantId()).isEqualTo(key.tenantId());
			assertThat(event.apiKeyId()).isEqualTo(key.keyId());
		});
		assertThat(published.get(0).tokens().cacheRead()).isEqualTo(300);
	}

	@Test
	void answersDuplicateForRepostedEventIdsAndPublishesThemOnce() {
		TenantKey key = TestTenants.create(this.client);
		Map<String, Object> event = event(null);
		post(key, List.of(event, event)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.accepted")
			.isEqualTo(1)
			.jsonPath("$.duplicates")
			.isEqualTo(1)
			.jsonPath("$.results[1].status")
			.isEqualTo("duplicate");
		post(key, List.of(event)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.results[0].status")
			.isEqualTo("duplicate");

		assertThat(UsageTopic.eventsOf(key.tenantId(), 1)).hasSize(1);
	}

	@Test
	void rejectsInvalidEventsWithPreciseReasonsAndKeepsTheValidOnes() {
		TenantKey key = TestTenants.create(this.client);
		Map<String, Object> negative = event(null);
		((Map<String, Object>) negative.get("tokens")).put("input", -5);
		Map<String, Object> unknownProvider = event(null);
		unknownProvider.put("provider", "mistral");
		Map<String, Object> otherTenant = event("someone-else");
		Map<String, Object> valid = event(null);

		post(key, List.of(negative, unknownProvider, otherTenant, valid)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.accepted")
			.isEqualTo(1)
			.jsonPath("$.rejected")
			.isEqualTo(3)
			.jsonPath("$.results[0].errors[0].field")
			.isEqualTo("tokens.input")
			.jsonPath("$.results[0].errors[0].code")
			.isEqualTo("negative")
			.jsonPath("$.results[1].errors[0].field")
			.isEqualTo("provider")
			.jsonPath("$.results[1].errors[0].code")
			.isEqualTo("unknown_value")
			.jsonPath("$.results[2].errors[0].code")
			.isEqualTo("tenant_mismatch")
			.jsonPath("$.results[3].status")
			.isEqualTo("accepted");

		assertThat(UsageTopic.eventsOf(key.tenantId(), 1)).extracting(UsageEvent::eventId)
			.containsExactly((String) valid.get("event_id"));
	}

	@Test
	void acceptsACloudEventsBatch() {
		TenantKey key = TestTenants.create(this.client);
		Map<String, Object> data = event(null);
		Map<String, Object> cloudEvent = new LinkedHashMap<>();
		cloudEvent.put("specversion", "1.0");
		cloudEvent.put("id", data.get("event_id"));
		cloudEvent.put("source", "/my-app");
		cloudEvent.put("type", "io.tollgate.usage.v1");
		cloudEvent.put("data", data);
		this.client.post()
			.uri("/v1/usage-events")
			.header("x-api-key", key.secret())
			.contentType(MediaType.parseMediaType("application/cloudevents-batch+json"))
			.bodyValue(List.of(cloudEvent))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.accepted")
			.isEqualTo(1);
	}

	@Test
	void refusesMalformedJsonOversizedPayloadsAndTooManyEvents() {
		TenantKey key = TestTenants.create(this.client);
		this.client.post()
			.uri("/v1/usage-events")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("[{\"event_id\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("malformed_json");

		this.client.post()
			.uri("/v1/usage-events")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("[" + "\"x\",".repeat(700_000) + "\"x\"]")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("payload_too_large");

		List<Map<String, Object>> many = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			many.add(Map.of());
		}
		post(key, many).expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("too_many_events");
	}

	@Test
	void refusesUnknownAndMissingKeys() {
		this.client.post()
			.uri("/v1/usage-events")
			.header("x-api-key", "tg_" + "A".repeat(43))
			.bodyValue(List.of())
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("invalid_api_key");
		this.client.post()
			.uri("/v1/usage-events")
			.bodyValue(List.of())
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("missing_api_key");
	}

	private WebTestClient.ResponseSpec post(TenantKey key, List<?> body) {
		return this.client.post()
			.uri("/v1/usage-events")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private static Map<String, Object> event(String tenantId) {
		Instant completed = TestClock.shared().instant();
		Map<String, Object> tokens = new LinkedHashMap<>();
		tokens.put("input", 1000);
		tokens.put("output", 200);
		tokens.put("cache_write_5m", 0);
		tokens.put("cache_write_1h", 0);
		tokens.put("cache_read", 300);
		tokens.put("reasoning", 0);
		tokens.put("server_tool_uses", 0);
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event_id", EventIds.uuidV7());
		if (tenantId != null) {
			event.put("tenant_id", tenantId);
		}
		event.put("provider", "anthropic");
		event.put("model", "claude-sonnet-4-5-20250929");
		event.put("endpoint", "messages");
		event.put("service_tier", "standard");
		event.put("streamed", false);
		event.put("tokens", tokens);
		event.put("total_input_tokens", 1300);
		event.put("context_tier", "standard");
		event.put("outcome", "success");
		event.put("http_status", 200);
		event.put("started_at", completed.minusMillis(800).toString());
		event.put("completed_at", completed.toString());
		event.put("upstream_latency_ms", 800);
		return event;
	}

}
