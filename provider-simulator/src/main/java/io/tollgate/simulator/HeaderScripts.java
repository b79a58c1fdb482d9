package io.tollgate.simulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * Scripts carried by request headers, so that a benchmark or the demo can drive the
 * simulator over HTTP (through the gateway, which forwards them). Each header overrides
 * one field of the default script; an unknown {@code x-simulator-*} header is refused
 * rather than ignored, so that a typo cannot silently run the wrong scenario.
 */
final class HeaderScripts {

	static final String PREFIX = "x-simulator-";

	private HeaderScripts() {
	}

	static boolean present(HttpHeaders headers) {
		for (Map.Entry<String, String> header : headers) {
			if (header.getKey().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The base script with the header fields applied.
	 * @throws IllegalArgumentException for an unknown header or a bad value
	 */
	static Script apply(HttpHeaders headers, Script base) {
		Script.Builder script = base.toBuilder();
		ScriptedError error = base.error();
		Integer status = null;
		String errorType = null;
		String errorCode = null;
		Duration retryAfter = null;
		for (Map.Entry<String, String> header : headers) {
			String name = header.getKey().toLowerCase(Locale.ROOT);
			if (!name.startsWith(PREFIX)) {
				continue;
			}
			String value = header.getValue().trim();
			switch (name.substring(PREFIX.length())) {
				case "input-tokens" -> script.inputTokens(number(name, value));
				case "output-tokens" -> script.outputTokens(number(name, value));
				case "cache-read" -> script.cacheRead(number(name, value));
				case "cache-write-5m" -> script.cacheWrite5m(number(name, value));
				case "cache-write-1h" -> script.cacheWrite1h(number(name, value));
				case "reasoning" -> script.reasoningTokens(number(name, value));
				case "web-search-requests" -> script.webSearchRequests(intNumber(name, value));
				case "web-fetch-requests" -> script.webFetchRequests(intNumber(name, value));
				case "service-tier" -> script.serviceTier(value);
				case "stop-reason" -> script.stopReason(value);
				case "chunks" -> script.chunks(intNumber(name, value));
				case "usage-updates" -> script.usageUpdates(intNumber(name, value));
				case "chunk-delay-ms" -> script.chunkDelay(Duration.ofMillis(number(name, value)));
				case "latency-ms" -> script.latency(Duration.ofMillis(number(name, value)));
				case "abort-after-chunks" -> script.abortAfterChunks(intNumber(name, value));
				case "status" -> status = intNumber(name, value);
				case "retry-after" -> retryAfter = Duration.ofSeconds(number(name, value));
				case "error-type" -> errorType = value;
				case "error-code" -> errorCode = value;
				default -> throw new IllegalArgumentException("Unknown simulator header " + name);
			}
		}
		if (status != null) {
			error = (status >= 200 && status < 300) ? null : ScriptedError.of(status);
		}
		if (error == null && (errorType != null || errorCode != null || retryAfter != null)) {
			throw new IllegalArgumentException(
					PREFIX + "error-type, error-code and retry-after need an error " + PREFIX + "status");
		}
		if (error != null) {
			error = new ScriptedError(error.status(), (errorType != null) ? errorType : error.type(),
					(errorCode != null) ? errorCode : error.code(), error.message(),
					(retryAfter != null) ? retryAfter : error.retryAfter());
		}
		return script.error(error).build();
	}

	private static long number(String name, String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
		}
	}

	private static int intNumber(String name, String value) {
		long number = number(name, value);
		if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(name + " is out of range: " + value);
		}
		return (int) number;
	}

}
