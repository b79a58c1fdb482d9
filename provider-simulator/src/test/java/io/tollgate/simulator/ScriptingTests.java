package io.tollgate.simulator;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScriptingTests extends SimulatorTestSupport {

	private static final String ANTHROPIC = """
			{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""";

	private static final String OPENAI = """
			{"model":"gpt-4.1","messages":[{"role":"user","content":"Hi"}]}""";

	private static JsonNode anthropicUsage(HttpResponse<String> response) {
		return SimulatorClient.json(response.body()).path("usage");
	}

	@Test
	void derivesInputTokensFromBodySizeByDefault() {
		String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\""
				+ "x".repeat(4000) + "\"}]}";
		JsonNode usage = anthropicUsage(client.post("/v1/messages", body));
		assertThat(usage.path("input_tokens").asLong()).isEqualTo(body.length() / 4);
		assertThat(usage.path("output_tokens").asLong()).isEqualTo(16);
	}

	@Test
	void takesEnqueuedScriptsInOrderAcrossRoutes() {
		simulator.enqueue(Script.tokens(1, 2));
		simulator.enqueue(Script.tokens(3, 4));
		simulator.enqueue(Script.tokens(5, 6));
		assertThat(anthropicUsage(client.post("/v1/messages", ANTHROPIC)).path("input_tokens").asLong()).isEqualTo(1);
		assertThat(SimulatorClient.json(client.post("/v1/chat/completions", OPENAI).body())
			.path("usage")
			.path("prompt_tokens")
			.asLong()).isEqualTo(3);
		assertThat(anthropicUsage(client.post("/v1/messages", ANTHROPIC)).path("input_tokens").asLong()).isEqualTo(5);
		assertThat(simulator.queuedScripts()).isZero();
	}

	@Test
	void fallsBackToDefaultScriptWhenQueueIsEmpty() {
		simulator.setDefault(Script.tokens(77, 88));
		simulator.enqueue(Script.tokens(1, 2));
		assertThat(anthropicUsage(client.post("/v1/messages", ANTHROPIC)).path("input_tokens").asLong()).isEqualTo(1);
		assertThat(anthropicUsage(client.post("/v1/messages", ANTHROPIC)).path("input_tokens").asLong()).isEqualTo(77);
		assertThat(anthropicUsage(client.post("/v1/messages", ANTHROPIC)).path("output_tokens").asLong()).isEqualTo(88);
	}

	@Test
	void scriptsRequestFromHeadersOverEnqueuedScripts() {
		simulator.enqueue(Script.tokens(1, 2));
		HttpResponse<String> response = client.post("/v1/messages", ANTHROPIC, "x-simulator-input-tokens", "1000",
				"x-simulator-output-tokens", "200", "x-simulator-cache-read", "300", "x-simulator-cache-write-5m", "40",
				"x-simulator-cache-write-1h", "50", "x-simulator-chunks", "2");
		JsonNode usage = anthropicUsage(response);
		assertThat(usage.path("input_tokens").asLong()).isEqualTo(1000);
		assertThat(usage.path("output_tokens").asLong()).isEqualTo(200);
		assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(300);
		assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").asLong()).isEqualTo(40);
		assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong()).isEqualTo(50);
		assertThat(SimulatorClient.json(response.body()).path("content").get(0).path("text").asString())
			.isEqualTo("Simulated tokens ");
		assertThat(simulator.queuedScripts()).as("a header-scripted request leaves the queue alone").isEqualTo(1);
	}

	@Test
	void scriptsReasoningFromHeaders() {
		HttpResponse<String> response = client.post("/v1/chat/completions", OPENAI, "x-simulator-output-tokens", "100",
				"x-simulator-reasoning", "60");
		JsonNode usage = SimulatorClient.json(response.body()).path("usage");
		assertThat(usage.path("completion_tokens").asLong()).isEqualTo(100);
		assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(60);
	}

	@Test
	void scriptsErrorStatusFromHeaders() {
		HttpResponse<String> response = client.post("/v1/chat/completions", OPENAI, "x-simulator-status", "429",
				"x-simulator-retry-after", "9");
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("9");
		assertThat(SimulatorClient.json(response.body()).path("error").path("code").asString())
			.isEqualTo("rate_limit_exceeded");
	}

	@Test
	void refusesUnknownOrMalformedSimulatorHeaders() {
		HttpResponse<String> typo = client.post("/v1/messages", ANTHROPIC, "x-simulator-output-token", "5");
		assertThat(typo.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(typo.body()).path("error").path("message").asString())
			.contains("x-simulator-output-token");
		HttpResponse<String> notNumber = client.post("/v1/messages", ANTHROPIC, "x-simulator-output-tokens", "many");
		assertThat(notNumber.statusCode()).isEqualTo(400);
		HttpResponse<String> tooMuchReasoning = client.post("/v1/messages", ANTHROPIC, "x-simulator-output-tokens", "5",
				"x-simulator-reasoning", "6");
		assertThat(tooMuchReasoning.statusCode()).isEqualTo(400);
	}

	@Test
	void resetForgetsScriptsAndDefault() {
		simulator.enqueue(Script.tokens(1, 2));
		simulator.setDefault(Script.tokens(3, 4));
		simulator.reset();
		assertThat(simulator.queuedScripts()).isZero();
		assertThat(simulator.defaultScript()).isEqualTo(Script.defaults());
	}

	@Test
	void rejectsInconsistentScripts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Script.builder().outputTokens(5).reasoningTokens(6).build());
		assertThatIllegalArgumentException().isThrownBy(() -> Script.builder().chunks(0).build());
		assertThatIllegalArgumentException().isThrownBy(() -> ScriptedError.of(200));
		assertThatIllegalArgumentException().isThrownBy(() -> BatchResult.succeeded("a", "m", Script.defaults()));
	}

}
