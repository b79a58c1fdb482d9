package io.tollgate.simulator;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicBatchesTests extends SimulatorTestSupport {

	private static final String CREATE = """
			{"requests":[
			 {"custom_id":"first","params":{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}},
			 {"custom_id":"second","params":{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}}
			]}""";

	private static List<JsonNode> jsonLines(String body) {
		return Arrays.stream(body.split("\n")).map(SimulatorClient::json).toList();
	}

	@Test
	void createsBatchThatEndsWithScriptedSucceededResults() {
		simulator.enqueue(Script.builder().inputTokens(200).outputTokens(30).cacheRead(50).build());
		HttpResponse<String> created = client.post("/v1/messages/batches", CREATE);
		assertThat(created.statusCode()).isEqualTo(200);
		JsonNode batch = SimulatorClient.json(created.body());
		String id = batch.path("id").asString();
		assertThat(id).startsWith("msgbatch_");
		assertThat(batch.path("type").asString()).isEqualTo("message_batch");
		assertThat(batch.path("processing_status").asString()).isEqualTo("in_progress");
		assertThat(batch.path("request_counts").path("processing").asInt()).isEqualTo(2);
		assertThat(batch.path("results_url").isNull()).isTrue();

		JsonNode retrieved = SimulatorClient.json(client.get("/v1/messages/batches/" + id).body());
		assertThat(retrieved.path("processing_status").asString()).isEqualTo("ended");
		assertThat(retrieved.path("request_counts").path("processing").asInt()).isEqualTo(0);
		assertThat(retrieved.path("request_counts").path("succeeded").asInt()).isEqualTo(2);
		assertThat(retrieved.path("ended_at").asString()).isNotBlank();
		assertThat(retrieved.path("results_url").asString())
			.isEqualTo(simulator.baseUrl() + "/v1/messages/batches/" + id + "/results");

		HttpResponse<String> results = client.get("/v1/messages/batches/" + id + "/results");
		assertThat(results.statusCode()).isEqualTo(200);
		assertThat(results.body()).endsWith("\n");
		List<JsonNode> lines = jsonLines(results.body());
		assertThat(lines).extracting((line) -> line.path("custom_id").asString()).containsExactly("first", "second");
		assertThat(lines).allSatisfy((line) -> {
			assertThat(line.path("result").path("type").asString()).isEqualTo("succeeded");
			JsonNode message = line.path("result").path("message");
			assertThat(message.path("model").asString()).isEqualTo("claude-haiku-4-5");
			assertThat(message.path("usage").path("input_tokens").asLong()).isEqualTo(200);
			assertThat(message.path("usage").path("output_tokens").asLong()).isEqualTo(30);
			assertThat(message.path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(50);
			assertThat(message.path("usage").path("service_tier").asString()).isEqualTo("batch");
		});
	}

	@Test
	void servesResultsOfAddedBatchAsJsonLines() {
		simulator.addBatch("msgbatch_test1",
				List.of(BatchResult.succeeded("a", "claude-sonnet-4-5",
						Script.builder().inputTokens(11).outputTokens(22).cacheWrite1h(33).build()),
						BatchResult.errored("b", "invalid_request_error", "bad params"), BatchResult.canceled("c"),
						BatchResult.expired("d")));
		JsonNode batch = SimulatorClient.json(client.get("/v1/messages/batches/msgbatch_test1").body());
		assertThat(batch.path("processing_status").asString()).isEqualTo("ended");
		JsonNode counts = batch.path("request_counts");
		assertThat(counts.path("succeeded").asInt()).isEqualTo(1);
		assertThat(counts.path("errored").asInt()).isEqualTo(1);
		assertThat(counts.path("canceled").asInt()).isEqualTo(1);
		assertThat(counts.path("expired").asInt()).isEqualTo(1);

		List<JsonNode> lines = jsonLines(client.get("/v1/messages/batches/msgbatch_test1/results").body());
		assertThat(lines).extracting((line) -> line.path("result").path("type").asString())
			.containsExactly("succeeded", "errored", "canceled", "expired");
		JsonNode usage = lines.get(0).path("result").path("message").path("usage");
		assertThat(usage.path("input_tokens").asLong()).isEqualTo(11);
		assertThat(usage.path("output_tokens").asLong()).isEqualTo(22);
		assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong()).isEqualTo(33);
		assertThat(usage.path("service_tier").asString()).isEqualTo("batch");
		JsonNode error = lines.get(1).path("result").path("error");
		assertThat(error.path("type").asString()).isEqualTo("error");
		assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.path("error").path("message").asString()).isEqualTo("bad params");
	}

	@Test
	void cancelsBatchThatHasNotEnded() {
		String id = SimulatorClient.json(client.post("/v1/messages/batches", CREATE).body()).path("id").asString();
		JsonNode canceling = SimulatorClient.json(client.post("/v1/messages/batches/" + id + "/cancel", "").body());
		assertThat(canceling.path("processing_status").asString()).isEqualTo("canceling");
		assertThat(canceling.path("cancel_initiated_at").asString()).isNotBlank();
		JsonNode ended = SimulatorClient.json(client.get("/v1/messages/batches/" + id).body());
		assertThat(ended.path("processing_status").asString()).isEqualTo("ended");
		assertThat(ended.path("request_counts").path("canceled").asInt()).isEqualTo(2);
		assertThat(jsonLines(client.get("/v1/messages/batches/" + id + "/results").body()))
			.extracting((line) -> line.path("result").path("type").asString())
			.containsExactly("canceled", "canceled");
	}

	@Test
	void answersNotFoundForUnknownBatch() {
		HttpResponse<String> response = client.get("/v1/messages/batches/msgbatch_nope/results");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SimulatorClient.json(response.body()).path("error").path("type").asString())
			.isEqualTo("not_found_error");
	}

	@Test
	void refusesBatchWithoutRequests() {
		HttpResponse<String> response = client.post("/v1/messages/batches", "{\"requests\":[]}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(response.body()).path("error").path("type").asString())
			.isEqualTo("invalid_request_error");
	}

}
