package io.tollgate.simulator;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tollgate.simulator.SimulatorClient.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicMessagesTests extends SimulatorTestSupport {

	private static final String REQUEST = """
			{"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{"role":"user","content":"Hello"}]}""";

	private static final String STREAM_REQUEST = """
			{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hello"}]}""";

	private static Script cachedScript() {
		return Script.builder()
			.inputTokens(120)
			.outputTokens(45)
			.cacheWrite5m(300)
			.cacheWrite1h(700)
			.cacheRead(2000)
			.webSearchRequests(2)
			.webFetchRequests(1)
			.chunks(3)
			.build();
	}

	@Test
	void answersMessageWithScriptedUsageAndEchoedModel() {
		simulator.enqueue(cachedScript());
		HttpResponse<String> response = client.post("/v1/messages", REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
		assertThat(response.headers().firstValue("request-id"))
			.hasValueSatisfying((id) -> assertThat(id).startsWith("req_"));
		JsonNode message = SimulatorClient.json(response.body());
		assertThat(message.path("id").asString()).startsWith("msg_");
		assertThat(message.path("type").asString()).isEqualTo("message");
		assertThat(message.path("role").asString()).isEqualTo("assistant");
		assertThat(message.path("model").asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(message.path("content").get(0).path("type").asString()).isEqualTo("text");
		assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("Simulated tokens from ");
		assertThat(message.path("stop_reason").asString()).isEqualTo("end_turn");
		assertThat(message.path("stop_sequence").isNull()).isTrue();
		JsonNode usage = message.path("usage");
		assertThat(usage.path("input_tokens").asLong()).isEqualTo(120);
		assertThat(usage.path("cache_creation_input_tokens").asLong()).isEqualTo(1000);
		assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(2000);
		assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").asLong()).isEqualTo(300);
		assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong()).isEqualTo(700);
		assertThat(usage.path("output_tokens").asLong()).isEqualTo(45);
		assertThat(usage.path("server_tool_use").path("web_search_requests").asInt()).isEqualTo(2);
		assertThat(usage.path("server_tool_use").path("web_fetch_requests").asInt()).isEqualTo(1);
		assertThat(usage.path("service_tier").asString()).isEqualTo("standard");
	}

	@Test
	void omitsServerToolUseWhenNoServerToolRan() {
		simulator.enqueue(Script.tokens(10, 5));
		JsonNode usage = SimulatorClient.json(client.post("/v1/messages", REQUEST).body()).path("usage");
		assertThat(usage.has("server_tool_use")).isFalse();
	}

	@Test
	void givesEachMessageItsOwnId() {
		simulator.enqueue(Script.tokens(10, 5));
		simulator.enqueue(Script.tokens(10, 5));
		String first = SimulatorClient.json(client.post("/v1/messages", REQUEST).body()).path("id").asString();
		String second = SimulatorClient.json(client.post("/v1/messages", REQUEST).body()).path("id").asString();
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void streamsAnthropicMessageWithCumulativeUsage() {
		simulator.enqueue(cachedScript().toBuilder().serviceTier("priority").stopReason("max_tokens").build());
		HttpResponse<String> response = client.post("/v1/messages", STREAM_REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
		List<SseEvent> events = SimulatorClient.events(response.body());
		assertThat(events).extracting(SseEvent::event)
			.containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
					"content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
					"message_stop");
		for (SseEvent event : events) {
			assertThat(event.json().path("type").asString()).isEqualTo(event.event());
		}
		JsonNode start = events.get(0).json().path("message");
		assertThat(start.path("model").asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(start.path("content").isEmpty()).isTrue();
		assertThat(start.path("stop_reason").isNull()).isTrue();
		JsonNode startUsage = start.path("usage");
		assertThat(startUsage.path("input_tokens").asLong()).isEqualTo(120);
		assertThat(startUsage.path("cache_creation_input_tokens").asLong()).isEqualTo(1000);
		assertThat(startUsage.path("cache_read_input_tokens").asLong()).isEqualTo(2000);
		assertThat(startUsage.path("cache_creation").path("ephemeral_5m_input_tokens").asLong()).isEqualTo(300);
		assertThat(startUsage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong()).isEqualTo(700);
		assertThat(startUsage.path("output_tokens").asLong()).isEqualTo(1);
		assertThat(startUsage.path("service_tier").asString()).isEqualTo("priority");
		assertThat(events.get(3).json().path("delta").path("text").asString()).isEqualTo("Simulated ");
		JsonNode delta = events.get(7).json();
		assertThat(delta.path("delta").path("stop_reason").asString()).isEqualTo("max_tokens");
		JsonNode usage = delta.path("usage");
		assertThat(usage.path("input_tokens").asLong()).isEqualTo(120);
		assertThat(usage.path("cache_creation_input_tokens").asLong()).isEqualTo(1000);
		assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(2000);
		assertThat(usage.path("output_tokens").asLong()).isEqualTo(45);
		assertThat(usage.path("server_tool_use").path("web_search_requests").asInt()).isEqualTo(2);
		assertThat(usage.path("server_tool_use").path("web_fetch_requests").asInt()).isEqualTo(1);
	}

	@Test
	void streamsSeveralCumulativeMessageDeltasWhenAskedTo() {
		simulator.enqueue(Script.builder()
			.inputTokens(50)
			.outputTokens(90)
			.webSearchRequests(3)
			.chunks(6)
			.usageUpdates(3)
			.build());
		List<SseEvent> events = SimulatorClient.events(client.post("/v1/messages", STREAM_REQUEST).body());
		List<JsonNode> deltas = events.stream()
			.filter((event) -> event.event().equals("message_delta"))
			.map(SseEvent::json)
			.toList();
		assertThat(deltas).hasSize(3);
		assertThat(deltas).extracting((delta) -> delta.path("usage").path("output_tokens").asLong())
			.containsExactly(30L, 60L, 90L);
		assertThat(deltas)
			.extracting((delta) -> delta.path("usage").path("server_tool_use").path("web_search_requests").asInt())
			.containsExactly(1, 2, 3);
		assertThat(deltas.get(0).path("delta").path("stop_reason").isNull()).isTrue();
		assertThat(deltas.get(2).path("delta").path("stop_reason").asString()).isEqualTo("end_turn");
		assertThat(events.getLast().event()).isEqualTo("message_stop");
		assertThat(events.stream().filter((event) -> event.event().equals("content_block_delta"))).hasSize(6);
	}

	@Test
	void countsTokensOfWholePrompt() {
		simulator.enqueue(Script.builder().inputTokens(40).cacheRead(60).build());
		HttpResponse<String> response = client.post("/v1/messages/count_tokens", REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"input_tokens\":100}");
	}

	@Test
	void answersRateLimitErrorWithRetryAfterAndRequestId() {
		simulator.enqueue(Script.builder()
			.error(ScriptedError.of(429).withRetryAfter(Duration.ofSeconds(17)).withMessage("slow down"))
			.build());
		HttpResponse<String> response = client.post("/v1/messages", STREAM_REQUEST);
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("17");
		assertThat(response.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("0");
		String requestId = response.headers().firstValue("request-id").orElseThrow();
		JsonNode error = SimulatorClient.json(response.body());
		assertThat(error.path("type").asString()).isEqualTo("error");
		assertThat(error.path("error").path("type").asString()).isEqualTo("rate_limit_error");
		assertThat(error.path("error").path("message").asString()).isEqualTo("slow down");
		assertThat(error.path("request_id").asString()).isEqualTo(requestId).startsWith("req_");
	}

	@Test
	void answersOverloadedErrorFor529() {
		simulator.enqueue(Script.error(529));
		HttpResponse<String> response = client.post("/v1/messages", REQUEST);
		assertThat(response.statusCode()).isEqualTo(529);
		assertThat(SimulatorClient.json(response.body()).path("error").path("type").asString())
			.isEqualTo("overloaded_error");
		assertThat(response.headers().firstValue("retry-after")).hasValue("1");
	}

	@Test
	void answersServerErrorWithoutRetryAfter() {
		simulator.enqueue(Script.error(500));
		HttpResponse<String> response = client.post("/v1/messages", REQUEST);
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(SimulatorClient.json(response.body()).path("error").path("type").asString()).isEqualTo("api_error");
		assertThat(response.headers().firstValue("retry-after")).isEmpty();
	}

	@Test
	void answersWorkspaceLimitAsInvalidRequest() {
		simulator.enqueue(Script.builder()
			.error(ScriptedError.of(400).withMessage("You have reached your specified workspace API usage limits."))
			.build());
		HttpResponse<String> response = client.post("/v1/messages", REQUEST);
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = SimulatorClient.json(response.body()).path("error");
		assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.path("message").asString()).contains("workspace API usage limits");
	}

	@Test
	void refusesBodyThatIsNotJsonWithoutTakingAScript() {
		simulator.enqueue(Script.tokens(1, 1));
		HttpResponse<String> response = client.post("/v1/messages", "{not json");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(response.body()).path("error").path("type").asString())
			.isEqualTo("invalid_request_error");
		assertThat(simulator.queuedScripts()).isEqualTo(1);
	}

	@Test
	void refusesRequestWithoutModel() {
		HttpResponse<String> response = client.post("/v1/messages", "{\"max_tokens\":10,\"messages\":[]}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(response.body()).path("error").path("message").asString())
			.isEqualTo("model: Field required");
	}

	@Test
	void answersUnknownRouteWithNotFound() {
		HttpResponse<String> response = client.get("/v1/messages");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SimulatorClient.json(response.body()).path("error").path("type").asString())
			.isEqualTo("not_found_error");
	}

}
