package io.tollgate.simulator;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tollgate.simulator.SimulatorClient.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiResponsesTests extends SimulatorTestSupport {

	private static final String REQUEST = """
			{"model":"o4-mini","input":"Hello"}""";

	private static final String STREAM_REQUEST = """
			{"model":"o4-mini","input":"Hello","stream":true}""";

	@Test
	void answersResponseWithUsage() {
		simulator.enqueue(Script.builder().inputTokens(70).cacheRead(30).outputTokens(50).chunks(2).build());
		HttpResponse<String> response = client.post("/v1/responses", REQUEST);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = SimulatorClient.json(response.body());
		assertThat(body.path("id").asString()).startsWith("resp_");
		assertThat(body.path("object").asString()).isEqualTo("response");
		assertThat(body.path("status").asString()).isEqualTo("completed");
		assertThat(body.path("model").asString()).isEqualTo("o4-mini");
		assertThat(body.path("output")).hasSize(1);
		JsonNode message = body.path("output").get(0);
		assertThat(message.path("type").asString()).isEqualTo("message");
		assertThat(message.path("content").get(0).path("type").asString()).isEqualTo("output_text");
		assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("Simulated tokens ");
		JsonNode usage = body.path("usage");
		assertThat(usage.path("input_tokens").asLong()).isEqualTo(100);
		assertThat(usage.path("input_tokens_details").path("cached_tokens").asLong()).isEqualTo(30);
		assertThat(usage.path("output_tokens").asLong()).isEqualTo(50);
		assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(0);
		assertThat(usage.path("total_tokens").asLong()).isEqualTo(150);
	}

	@Test
	void putsReasoningItemBeforeMessageWhenReasoning() {
		simulator.enqueue(Script.builder().inputTokens(10).outputTokens(50).reasoningTokens(40).build());
		JsonNode body = SimulatorClient.json(client.post("/v1/responses", REQUEST).body());
		assertThat(body.path("output")).extracting((item) -> item.path("type").asString())
			.containsExactly("reasoning", "message");
		assertThat(body.path("usage").path("output_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(40);
	}

	@Test
	void streamsResponseEventsEndingWithCompletedUsage() {
		simulator.enqueue(
				Script.builder().inputTokens(70).cacheRead(30).outputTokens(50).reasoningTokens(20).chunks(3).build());
		HttpResponse<String> response = client.post("/v1/responses", STREAM_REQUEST);
		assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
		List<SseEvent> events = SimulatorClient.events(response.body());
		assertThat(events).extracting(SseEvent::event)
			.containsExactly("response.created", "response.in_progress", "response.output_item.added",
					"response.output_item.done", "response.output_item.added", "response.content_part.added",
					"response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
					"response.output_text.done", "response.content_part.done", "response.output_item.done",
					"response.completed");
		for (int i = 0; i < events.size(); i++) {
			JsonNode event = events.get(i).json();
			assertThat(event.path("type").asString()).isEqualTo(events.get(i).event());
			assertThat(event.path("sequence_number").asInt()).isEqualTo(i);
		}
		JsonNode created = events.get(0).json().path("response");
		assertThat(created.path("status").asString()).isEqualTo("in_progress");
		assertThat(created.path("usage").isNull()).isTrue();
		JsonNode delta = events.get(6).json();
		assertThat(delta.path("delta").asString()).isEqualTo("Simulated ");
		assertThat(delta.path("output_index").asInt()).isEqualTo(1);
		assertThat(events.get(9).json().path("text").asString()).isEqualTo("Simulated tokens from ");
		JsonNode completed = events.getLast().json().path("response");
		assertThat(completed.path("id").asString()).isEqualTo(created.path("id").asString());
		assertThat(completed.path("status").asString()).isEqualTo("completed");
		assertThat(completed.path("model").asString()).isEqualTo("o4-mini");
		JsonNode usage = completed.path("usage");
		assertThat(usage.path("input_tokens").asLong()).isEqualTo(100);
		assertThat(usage.path("input_tokens_details").path("cached_tokens").asLong()).isEqualTo(30);
		assertThat(usage.path("output_tokens").asLong()).isEqualTo(50);
		assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(20);
		assertThat(usage.path("total_tokens").asLong()).isEqualTo(150);
	}

	@Test
	void streamsIncompleteResponseWhenStoppedByTokenLimit() {
		simulator.enqueue(Script.builder().inputTokens(5).outputTokens(9).stopReason("max_output_tokens").build());
		List<SseEvent> events = SimulatorClient.events(client.post("/v1/responses", STREAM_REQUEST).body());
		assertThat(events.getLast().event()).isEqualTo("response.incomplete");
		JsonNode response = events.getLast().json().path("response");
		assertThat(response.path("status").asString()).isEqualTo("incomplete");
		assertThat(response.path("incomplete_details").path("reason").asString()).isEqualTo("max_output_tokens");
		assertThat(response.path("usage").path("output_tokens").asLong()).isEqualTo(9);
	}

	@Test
	void answersErrorInOpenAiShape() {
		simulator.enqueue(Script.error(503));
		HttpResponse<String> response = client.post("/v1/responses", STREAM_REQUEST);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(SimulatorClient.json(response.body()).path("error").path("type").asString())
			.isEqualTo("server_error");
	}

}
