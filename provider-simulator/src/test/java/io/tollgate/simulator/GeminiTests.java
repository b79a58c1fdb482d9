package io.tollgate.simulator;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tollgate.simulator.SimulatorClient.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;

class GeminiTests extends SimulatorTestSupport {

	private static final String REQUEST = """
			{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}""";

	@Test
	void answersGenerateContentWithUsageMetadataAndPathModel() {
		simulator.enqueue(
				Script.builder().inputTokens(90).cacheRead(10).outputTokens(60).reasoningTokens(25).chunks(2).build());
		HttpResponse<String> response = client.post("/v1beta/models/gemini-2.5-flash:generateContent", REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=UTF-8");
		JsonNode body = SimulatorClient.json(response.body());
		JsonNode candidate = body.path("candidates").get(0);
		assertThat(candidate.path("content").path("role").asString()).isEqualTo("model");
		assertThat(candidate.path("content").path("parts").get(0).path("text").asString())
			.isEqualTo("Simulated tokens ");
		assertThat(candidate.path("finishReason").asString()).isEqualTo("STOP");
		JsonNode usage = body.path("usageMetadata");
		assertThat(usage.path("promptTokenCount").asLong()).isEqualTo(100);
		assertThat(usage.path("cachedContentTokenCount").asLong()).isEqualTo(10);
		assertThat(usage.path("candidatesTokenCount").asLong()).isEqualTo(35);
		assertThat(usage.path("thoughtsTokenCount").asLong()).isEqualTo(25);
		assertThat(usage.path("totalTokenCount").asLong()).isEqualTo(160);
		assertThat(body.path("modelVersion").asString()).isEqualTo("gemini-2.5-flash");
		assertThat(body.path("responseId").asString()).isNotBlank();
	}

	@Test
	void omitsZeroCountsAsGeminiDoes() {
		simulator.enqueue(Script.tokens(12, 7));
		JsonNode usage = SimulatorClient
			.json(client.post("/v1beta/models/gemini-2.0-flash:generateContent", REQUEST).body())
			.path("usageMetadata");
		assertThat(usage.has("cachedContentTokenCount")).isFalse();
		assertThat(usage.has("thoughtsTokenCount")).isFalse();
		assertThat(usage.path("promptTokenCount").asLong()).isEqualTo(12);
		assertThat(usage.path("candidatesTokenCount").asLong()).isEqualTo(7);
		assertThat(usage.path("totalTokenCount").asLong()).isEqualTo(19);
	}

	@Test
	void streamsSseChunksWithCumulativeUsageMetadata() {
		simulator.enqueue(
				Script.builder().inputTokens(90).cacheRead(10).outputTokens(60).reasoningTokens(20).chunks(4).build());
		HttpResponse<String> response = client.post("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
				REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
		assertThat(response.body()).contains("\r\n\r\n");
		List<JsonNode> chunks = SimulatorClient.events(response.body()).stream().map(SseEvent::json).toList();
		assertThat(chunks).hasSize(4);
		assertThat(chunks).extracting((chunk) -> chunk.path("usageMetadata").path("candidatesTokenCount").asLong())
			.containsExactly(10L, 20L, 30L, 40L);
		assertThat(chunks).extracting((chunk) -> chunk.path("usageMetadata").path("totalTokenCount").asLong())
			.containsExactly(130L, 140L, 150L, 160L);
		assertThat(chunks).allSatisfy((chunk) -> {
			assertThat(chunk.path("usageMetadata").path("promptTokenCount").asLong()).isEqualTo(100);
			assertThat(chunk.path("usageMetadata").path("cachedContentTokenCount").asLong()).isEqualTo(10);
			assertThat(chunk.path("usageMetadata").path("thoughtsTokenCount").asLong()).isEqualTo(20);
			assertThat(chunk.path("modelVersion").asString()).isEqualTo("gemini-2.5-pro");
		});
		assertThat(chunks).extracting((chunk) -> chunk.path("responseId").asString())
			.containsOnly(chunks.get(0).path("responseId").asString());
		assertThat(chunks.subList(0, 3))
			.allSatisfy((chunk) -> assertThat(chunk.path("candidates").get(0).has("finishReason")).isFalse());
		assertThat(chunks.get(3).path("candidates").get(0).path("finishReason").asString()).isEqualTo("STOP");
	}

	@Test
	void streamsJsonArrayWithoutAltSse() {
		simulator.enqueue(Script.builder().inputTokens(8).outputTokens(6).chunks(3).build());
		HttpResponse<String> response = client.post("/v1beta/models/gemini-2.5-flash:streamGenerateContent", REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=UTF-8");
		assertThat(response.body()).startsWith("[{").endsWith("}]");
		JsonNode array = SimulatorClient.json(response.body());
		assertThat(array.isArray()).isTrue();
		assertThat(array).hasSize(3);
		assertThat(array.get(2).path("usageMetadata").path("candidatesTokenCount").asLong()).isEqualTo(6);
		assertThat(array.get(2).path("usageMetadata").path("totalTokenCount").asLong()).isEqualTo(14);
	}

	@Test
	void answersResourceExhaustedWithRetryInfo() {
		simulator.enqueue(Script.error(429));
		HttpResponse<String> response = client.post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
				REQUEST);
		assertThat(response.statusCode()).isEqualTo(429);
		JsonNode error = SimulatorClient.json(response.body()).path("error");
		assertThat(error.path("code").asInt()).isEqualTo(429);
		assertThat(error.path("status").asString()).isEqualTo("RESOURCE_EXHAUSTED");
		assertThat(error.path("message").asString()).isNotBlank();
		assertThat(error.path("details").get(0).path("retryDelay").asString()).isEqualTo("1s");
	}

	@Test
	void refusesUnknownGeminiMethod() {
		HttpResponse<String> response = client.post("/v1beta/models/gemini-2.5-flash:embedContent", REQUEST);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SimulatorClient.json(response.body()).path("error").path("status").asString())
			.isEqualTo("NOT_FOUND");
	}

}
