package io.tollgate.simulator;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.tollgate.simulator.SimulatorClient.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingBehaviourTests extends SimulatorTestSupport {

	private static final String STREAM_REQUEST = """
			{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hello"}]}""";

	/**
	 * A line and when the client read it.
	 *
	 * @param line the line
	 * @param nanos when it arrived
	 */
	private record Arrival(String line, long nanos) {
	}

	private static List<Arrival> readLinesTimed(String path, String body) {
		HttpResponse<Stream<String>> response = SimulatorClient.send(
				client.request(path).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofLines());
		List<Arrival> arrivals = new ArrayList<>();
		try (Stream<String> lines = response.body()) {
			lines.filter((line) -> !line.isEmpty())
				.forEach((line) -> arrivals.add(new Arrival(line, System.nanoTime())));
		}
		return arrivals;
	}

	@Test
	void flushesEachEventSoFirstArrivesWellBeforeLast() {
		simulator.enqueue(
				Script.builder().inputTokens(10).outputTokens(5).chunks(5).chunkDelay(Duration.ofMillis(200)).build());
		List<Arrival> arrivals = readLinesTimed("/v1/messages", STREAM_REQUEST);
		assertThat(arrivals.getFirst().line()).isEqualTo("event: message_start");
		assertThat(arrivals.getLast().line()).isEqualTo("data: {\"type\":\"message_stop\"}");
		long spreadMillis = Duration.ofNanos(arrivals.getLast().nanos() - arrivals.getFirst().nanos()).toMillis();
		assertThat(spreadMillis).isGreaterThanOrEqualTo(800);
		List<Long> deltaArrivals = new ArrayList<>();
		for (int i = 0; i < arrivals.size(); i++) {
			if (arrivals.get(i).line().equals("event: content_block_delta")) {
				deltaArrivals.add(arrivals.get(i).nanos());
			}
		}
		assertThat(deltaArrivals).hasSize(5);
		for (int i = 1; i < deltaArrivals.size(); i++) {
			assertThat(Duration.ofNanos(deltaArrivals.get(i) - deltaArrivals.get(i - 1)).toMillis())
				.as("gap before content chunk %d", i)
				.isGreaterThanOrEqualTo(150);
		}
	}

	@Test
	void waitsLatencyBeforeFirstByte() {
		simulator.enqueue(Script.builder().inputTokens(1).outputTokens(1).latency(Duration.ofMillis(300)).build());
		long start = System.nanoTime();
		HttpResponse<String> response = client.post("/v1/chat/completions", "{\"model\":\"gpt-4.1\",\"messages\":[]}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(300);
	}

	@Test
	void streamsTenThousandChunksWithFinalUsage() {
		simulator.enqueue(Script.builder().inputTokens(10).outputTokens(10_000).chunks(10_000).build());
		String body = client.post("/v1/chat/completions",
				"{\"model\":\"gpt-4.1\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}")
			.body();
		List<SseEvent> events = SimulatorClient.events(body);
		assertThat(events).hasSize(1 + 10_000 + 1 + 1 + 1);
		assertThat(events.get(events.size() - 2).json().path("usage").path("completion_tokens").asLong())
			.isEqualTo(10_000);
	}

	@Test
	void abortsConnectionAfterScriptedChunks() throws Exception {
		simulator.enqueue(Script.builder().inputTokens(10).outputTokens(10).chunks(10).abortAfterChunks(3).build());
		try (Socket socket = SimulatorClient.rawPost(simulator, "/v1/messages", STREAM_REQUEST)) {
			String received = SimulatorClient.readUntil(socket.getInputStream(), "\u0000never");
			assertThat(received).startsWith("HTTP/1.1 200");
			assertThat(received.split("event: content_block_delta", -1)).hasSize(4);
			assertThat(received).doesNotContain("message_stop").doesNotContain("message_delta");
			assertThat(received).as("no chunked terminator").doesNotEndWith("0\r\n\r\n");
		}
		assertThat(simulator.cancelledStreams()).as("a simulator abort is not a client cancel").isZero();
	}

	@Test
	void abortsPacedStreamAfterScriptedChunks() throws Exception {
		simulator.enqueue(Script.builder()
			.inputTokens(10)
			.outputTokens(10)
			.chunks(10)
			.chunkDelay(Duration.ofMillis(10))
			.abortAfterChunks(2)
			.build());
		try (Socket socket = SimulatorClient.rawPost(simulator, "/v1/chat/completions",
				"{\"model\":\"gpt-4.1\",\"stream\":true,\"messages\":[]}")) {
			String received = SimulatorClient.readUntil(socket.getInputStream(), "\u0000never");
			assertThat(received.split("\"content\":\"", -1)).as("role chunk and two content chunks").hasSize(4);
			assertThat(received).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
		}
		assertThat(simulator.cancelledStreams()).isZero();
	}

	@Test
	void closesNonStreamedRequestWithoutAnswerWhenAborting() throws Exception {
		simulator.enqueue(Script.builder().inputTokens(1).outputTokens(1).abortAfterChunks(0).build());
		try (Socket socket = SimulatorClient.rawPost(simulator, "/v1/messages",
				"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}")) {
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
	}

	@Test
	void countsStreamsTheClientCancels() throws Exception {
		simulator.enqueue(Script.builder()
			.inputTokens(10)
			.outputTokens(100)
			.chunks(100)
			.chunkDelay(Duration.ofMillis(20))
			.build());
		try (Socket socket = SimulatorClient.rawPost(simulator, "/v1/messages", STREAM_REQUEST)) {
			InputStream in = socket.getInputStream();
			assertThat(SimulatorClient.readUntil(in, "content_block_delta")).contains("message_start");
		}
		assertThat(SimulatorClient.awaitCount(simulator::cancelledStreams, 1, Duration.ofSeconds(5))).isTrue();
		assertThat(simulator.cancelledStreams()).isEqualTo(1);
	}

	@Test
	void doesNotCountStreamsThatCompleted() {
		simulator.enqueue(Script.tokens(1, 1));
		client.post("/v1/messages", STREAM_REQUEST);
		assertThat(simulator.cancelledStreams()).isZero();
	}

}
