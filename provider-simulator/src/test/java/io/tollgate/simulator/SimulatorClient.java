package io.tollgate.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the simulator, and helpers to read what it answers. */
final class SimulatorClient {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final ProviderSimulator simulator;

	SimulatorClient(ProviderSimulator simulator) {
		this.simulator = simulator;
	}

	HttpResponse<String> post(String path, String body, String... headers) {
		return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	HttpResponse<String> get(String path, String... headers) {
		return send(request(path, headers).GET().build());
	}

	HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.simulator.baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("content-type", "application/json");
		if (headers.length > 0) {
			builder.headers(headers);
		}
		return builder;
	}

	static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		try {
			return HTTP.send(request, handler);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse<String> send(HttpRequest request) {
		return send(request, HttpResponse.BodyHandlers.ofString());
	}

	static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	/**
	 * One server-sent event.
	 *
	 * @param event the {@code event:} name, or empty when there was none
	 * @param data the {@code data:} payload
	 */
	record SseEvent(String event, String data) {

		JsonNode json() {
			return SimulatorClient.json(this.data);
		}

	}

	/** Splits an SSE body into events; accepts LF and CRLF line ends. */
	static List<SseEvent> events(String body) {
		List<SseEvent> events = new ArrayList<>();
		for (String block : body.replace("\r\n", "\n").split("\n\n")) {
			if (block.isBlank()) {
				continue;
			}
			String event = "";
			StringBuilder data = new StringBuilder();
			for (String line : block.split("\n")) {
				if (line.startsWith("event: ")) {
					event = line.substring("event: ".length());
				}
				else if (line.startsWith("data: ")) {
					data.append(line.substring("data: ".length()));
				}
			}
			events.add(new SseEvent(event, data.toString()));
		}
		return events;
	}

	/**
	 * Writes a raw HTTP/1.1 request on a socket, for tests that need to misbehave as a
	 * client.
	 */
	static Socket rawPost(ProviderSimulator simulator, String path, String body) throws IOException {
		Socket socket = new Socket("127.0.0.1", simulator.port());
		socket.setSoTimeout(10_000);
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + simulator.port()
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
		OutputStream out = socket.getOutputStream();
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
		return socket;
	}

	/**
	 * Reads from the socket until the text contains {@code marker} (or the stream ends).
	 */
	static String readUntil(InputStream in, String marker) throws IOException {
		StringBuilder text = new StringBuilder();
		byte[] buffer = new byte[8192];
		while (!text.toString().contains(marker)) {
			int read = in.read(buffer);
			if (read < 0) {
				break;
			}
			text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
		}
		return text.toString();
	}

	/** Waits until a counter reaches a value, checking until a deadline. */
	static boolean awaitCount(IntSupplier counter, int expected, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (counter.getAsInt() >= expected) {
				return true;
			}
			Thread.onSpinWait();
			java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
		}
		return counter.getAsInt() >= expected;
	}

}
