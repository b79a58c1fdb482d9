package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** What OpenAI's two APIs share: headers, errors and the default tier. */
final class OpenAiWire {

	static final String JSON = "application/json";

	static final String SSE = "text/event-stream; charset=utf-8";

	static final String DEFAULT_TIER = "default";

	private OpenAiWire() {
	}

	static long created() {
		return System.currentTimeMillis() / 1000;
	}

	static String tier(Script script) {
		return (script.serviceTier() != null) ? script.serviceTier() : DEFAULT_TIER;
	}

	static List<Header> headers(@Nullable ScriptedError error) {
		boolean limited = error != null && error.status() == 429;
		List<Header> headers = new ArrayList<>(8);
		headers.add(new Header("x-request-id", Ids.hex("req_", 32)));
		headers.add(new Header("x-ratelimit-limit-requests", "10000"));
		headers.add(new Header("x-ratelimit-remaining-requests", limited ? "0" : "9999"));
		headers.add(new Header("x-ratelimit-reset-requests", limited ? "1s" : "6ms"));
		headers.add(new Header("x-ratelimit-limit-tokens", "30000000"));
		headers.add(new Header("x-ratelimit-remaining-tokens", limited ? "0" : "29999000"));
		headers.add(new Header("x-ratelimit-reset-tokens", limited ? "1s" : "2ms"));
		String retryAfter = (error != null) ? error.retryAfterSeconds() : null;
		if (retryAfter != null) {
			headers.add(new Header("retry-after", retryAfter));
		}
		return headers;
	}

	static Reply error(ScriptedError error) {
		String type = (error.type() != null) ? error.type() : errorType(error.status());
		String code = (error.code() != null) ? error.code() : errorCode(error.status());
		String message = (error.message() != null) ? error.message() : defaultMessage(error.status());
		String json = "{\"error\":{\"message\":" + Json.quote(message) + ",\"type\":" + Json.quote(type)
				+ ",\"param\":null,\"code\":" + Json.quoteOrNull(code) + "}}";
		return new Reply.Full(error.status(), JSON, headers(error), json.getBytes(StandardCharsets.UTF_8));
	}

	private static String errorType(int status) {
		return switch (status) {
			case 429 -> "requests";
			default -> (status >= 500) ? "server_error" : "invalid_request_error";
		};
	}

	private static @Nullable String errorCode(int status) {
		return switch (status) {
			case 401 -> "invalid_api_key";
			case 404 -> "model_not_found";
			case 429 -> "rate_limit_exceeded";
			default -> null;
		};
	}

	private static String defaultMessage(int status) {
		return switch (status) {
			case 429 -> "Rate limit reached for requests (simulated). Please try again in 1s.";
			case 500 -> "The server had an error while processing your request. Sorry about that!";
			case 503 -> "The engine is currently overloaded, please try again later.";
			default -> "Simulated error " + status;
		};
	}

}
