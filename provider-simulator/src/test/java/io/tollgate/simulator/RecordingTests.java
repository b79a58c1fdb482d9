package io.tollgate.simulator;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RecordingTests extends SimulatorTestSupport {

	@Test
	void recordsMethodPathHeadersAndExactBodyBytes() {
		// Odd spacing, key order and non-ASCII text: a proxy that re-serialises would
		// change them.
		String body = "{ \"messages\" : [{\"role\":\"user\",\"content\":\"h\u00e9llo \u2603\"}],\n  \"model\":\"claude-sonnet-4-5\", \"max_tokens\": 5 }";
		HttpRequest request = client
			.request("/v1/messages?beta=true", "x-api-key", "sk-ant-test", "anthropic-beta", "one", "anthropic-beta",
					"two")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)))
			.build();
		assertThat(SimulatorClient.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

		RecordedRequest recorded = simulator.takeRequest(Duration.ofSeconds(5));
		assertThat(recorded.method()).isEqualTo("POST");
		assertThat(recorded.path()).isEqualTo("/v1/messages?beta=true");
		assertThat(recorded.header("X-Api-Key")).isEqualTo("sk-ant-test");
		assertThat(recorded.headerValues("anthropic-beta")).containsExactly("one", "two");
		assertThat(recorded.header("x-absent")).isNull();
		assertThat(recorded.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
		assertThat(recorded.bodyAsString()).isEqualTo(body);
		assertThat(simulator.requests()).containsExactly(recorded);
	}

	@Test
	void recordsGeminiKeyInQueryString() {
		client.post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIza-test", "{\"contents\":[]}");
		assertThat(simulator.takeRequest(Duration.ofSeconds(5)).path())
			.isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIza-test");
	}

	@Test
	void takesRequestsInArrivalOrderAndTimesOutWhenNoneCame() {
		client.get("/v1/messages/batches/one");
		client.get("/v1/messages/batches/two");
		assertThat(simulator.takeRequest(Duration.ofSeconds(5)).path()).isEqualTo("/v1/messages/batches/one");
		assertThat(simulator.takeRequest(Duration.ofSeconds(5)).path()).isEqualTo("/v1/messages/batches/two");
		assertThat(simulator.pollRequest(Duration.ofMillis(50))).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> simulator.takeRequest(Duration.ofMillis(50)));
		assertThat(simulator.requests()).hasSize(2);
	}

	@Test
	void recordsNothingWhenRecordingIsOff() {
		simulator.setRecording(false);
		client.get("/v1/messages/batches/one");
		assertThat(simulator.requests()).isEmpty();
		assertThat(simulator.pollRequest(Duration.ofMillis(50))).isEmpty();
	}

}
