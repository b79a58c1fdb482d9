package io.tollgate.simulator;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tollgate.simulator.SimulatorClient.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiChatCompletionsTests extends SimulatorTestSupport {

	private static final String REQUEST = """
			{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"Hello"}]}""";

	private static final String STREAM_REQUEST = """
			{"model":"gpt-4.1-mini","stream":true,"messages":[{"role":"user","content":"Hello"}]}""";

	private static final String STREAM_WITH_USAGE_REQUEST = """
			{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello"}]}""";

	private static Script script() {
		return Script.builder().inputTokens(100).cacheRead(400).outputTokens(80).reasoningTokens(30).chunks(3).build();
	}

	@Test
	void answersChatCompletionWithPromptTokensIncludingCachedTokens() {
		simulator.enqueue(script());
		HttpResponse<String> response = client.post("/v1/chat/completions", REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("x-request-id"))
			.hasValueSatisfying((id) -> assertThat(id).startsWith("req_"));
		assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("9999");
		JsonNode completion = SimulatorClient.json(response.body());
		assertThat(completion.path("id").asString()).startsWith("chatcmpl-");
		assertThat(completion.path("object").asString()).isEqualTo("chat.completion");
		assertThat(completion.path("created").asLong()).isPositive();
		assertThat(completion.path("model").asString()).isEqualTo("gpt-4.1-mini");
		JsonNode choice = completion.path("choices").get(0);
		assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
		assertThat(choice.path("message").path("content").asString()).isEqualTo("Simulated tokens from ");
		assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
		JsonNode usage = completion.path("usage");
		assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(500);
		assertThat(usage.path("completion_tokens").asLong()).isEqualTo(80);
		assertThat(usage.path("total_tokens").asLong()).isEqualTo(580);
		assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(400);
		assertThat(usage.path("prompt_tokens_details").has("cache_write_tokens")).isFalse();
		assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(30);
		assertThat(completion.path("service_tier").asString()).isEqualTo("default");
	}

	@Test
	void streamsChunksWithoutAnyUsageWhenIncludeUsageIsNotSet() {
		simulator.enqueue(script());
		HttpResponse<String> response = client.post("/v1/chat/completions", STREAM_REQUEST);
		assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
		List<SseEvent> events = SimulatorClient.events(response.body());
		assertThat(events).hasSize(6);
		assertThat(events.getLast().data()).isEqualTo("[DONE]");
		List<JsonNode> chunks = events.subList(0, 5).stream().map(SseEvent::json).toList();
		assertThat(chunks).allSatisfy((chunk) -> {
			assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
			assertThat(chunk.path("model").asString()).isEqualTo("gpt-4.1-mini");
			assertThat(chunk.has("usage")).isFalse();
			assertThat(chunk.path("choices")).hasSize(1);
		});
		assertThat(chunks).extracting((chunk) -> chunk.path("id").asString())
			.containsOnly(chunks.get(0).path("id").asString());
		assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asString()).isEqualTo("assistant");
		assertThat(chunks.get(1).path("choices").get(0).path("delta").path("content").asString())
			.isEqualTo("Simulated ");
		assertThat(chunks.get(4).path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
		assertThat(chunks.get(4).path("choices").get(0).path("delta").isEmpty()).isTrue();
	}

	@Test
	void streamsUsageInExtraLastChunkWhenIncludeUsageIsSet() {
		simulator.enqueue(script());
		List<SseEvent> events = SimulatorClient
			.events(client.post("/v1/chat/completions", STREAM_WITH_USAGE_REQUEST).body());
		assertThat(events).hasSize(7);
		assertThat(events.getLast().data()).isEqualTo("[DONE]");
		List<JsonNode> chunks = events.subList(0, 6).stream().map(SseEvent::json).toList();
		assertThat(chunks.subList(0, 5)).allSatisfy((chunk) -> {
			assertThat(chunk.has("usage")).isTrue();
			assertThat(chunk.path("usage").isNull()).isTrue();
			assertThat(chunk.path("choices")).hasSize(1);
		});
		JsonNode last = chunks.get(5);
		assertThat(last.path("choices").isArray()).isTrue();
		assertThat(last.path("choices").isEmpty()).isTrue();
		JsonNode usage = last.path("usage");
		assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(500);
		assertThat(usage.path("completion_tokens").asLong()).isEqualTo(80);
		assertThat(usage.path("total_tokens").asLong()).isEqualTo(580);
		assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(400);
		assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(30);
	}

	@Test
	void reportsCacheWritesOnlyWhenThereAreSome() {
		simulator.enqueue(Script.builder().inputTokens(10).cacheWrite5m(20).build());
		JsonNode usage = SimulatorClient.json(client.post("/v1/chat/completions", REQUEST).body()).path("usage");
		assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(30);
		assertThat(usage.path("prompt_tokens_details").path("cache_write_tokens").asLong()).isEqualTo(20);
	}

	@Test
	void answersRateLimitWithOpenAiErrorAndHeaders() {
		simulator
			.enqueue(Script.builder().error(ScriptedError.of(429).withRetryAfter(Duration.ofMillis(2500))).build());
		HttpResponse<String> response = client.post("/v1/chat/completions", STREAM_WITH_USAGE_REQUEST);
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("3");
		assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
		assertThat(response.headers().firstValue("x-request-id")).isPresent();
		JsonNode error = SimulatorClient.json(response.body()).path("error");
		assertThat(error.path("type").asString()).isEqualTo("requests");
		assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(error.has("param")).isTrue();
		assertThat(error.path("param").isNull()).isTrue();
		assertThat(error.path("message").asString()).isNotBlank();
	}

	@Test
	void answersSpendLimitWithInsufficientQuotaCode() {
		simulator.enqueue(Script.builder()
			.error(ScriptedError.of(429).withType("insufficient_quota").withCode("insufficient_quota"))
			.build());
		JsonNode error = SimulatorClient.json(client.post("/v1/chat/completions", REQUEST).body()).path("error");
		assertThat(error.path("type").asString()).isEqualTo("insufficient_quota");
		assertThat(error.path("code").asString()).isEqualTo("insufficient_quota");
	}

	@Test
	void answersServerErrorWithNullCode() {
		simulator.enqueue(Script.error(500));
		HttpResponse<String> response = client.post("/v1/chat/completions", REQUEST);
		assertThat(response.statusCode()).isEqualTo(500);
		JsonNode error = SimulatorClient.json(response.body()).path("error");
		assertThat(error.path("type").asString()).isEqualTo("server_error");
		assertThat(error.path("code").isNull()).isTrue();
	}

}
