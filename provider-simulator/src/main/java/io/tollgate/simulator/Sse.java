package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;

/** Server-sent event framing. */
final class Sse {

	private Sse() {
	}

	/**
	 * {@code event: <name>} and {@code data: <json>} lines, as Anthropic and the
	 * Responses API send.
	 */
	static String named(String name, String json) {
		return "event: " + name + "\ndata: " + json + "\n\n";
	}

	/** A {@code data: <json>} line alone, as OpenAI chat completions send. */
	static String data(String json) {
		return "data: " + json + "\n\n";
	}

	static byte[] bytes(String event) {
		return event.getBytes(StandardCharsets.UTF_8);
	}

}
