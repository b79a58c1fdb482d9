package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Anthropic's Messages API: the Message object, its event stream, count_tokens and
 * errors.
 */
final class AnthropicWire {

	static final String JSON = "application/json";

	static final String SSE = "text/event-stream; charset=utf-8";

	static final String DEFAULT_TIER = "standard";

	static final String DEFAULT_STOP_REASON = "end_turn";

	private static final byte[] CONTENT_BLOCK_START = Sse.bytes(Sse.named("content_block_start",
			"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));

	private static final byte[] PING = Sse.bytes(Sse.named("ping", "{\"type\":\"ping\"}"));

	private static final byte[] CONTENT_BLOCK_STOP = Sse
		.bytes(Sse.named("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));

	private static final byte[] MESSAGE_STOP = Sse.bytes(Sse.named("message_stop", "{\"type\":\"message_stop\"}"));

	/** Each word's content_block_delta, encoded once for every stream. */
	private static final byte[][] DELTAS = new byte[Text.WORDS.length][];

	static {
		for (int i = 0; i < Text.WORDS.length; i++) {
			DELTAS[i] = Sse.bytes(Sse.named("content_block_delta",
					"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
							+ Text.QUOTED_WORDS[i] + "}}"));
		}
	}

	private AnthropicWire() {
	}

	static String messageId() {
		return Ids.base62("msg_", 24);
	}

	static Reply message(Call call) {
		Script script = call.script();
		BodyTemplate template = BodyTemplate.cached(List.of("anthropic.message", script),
				() -> messageJson("\"" + BodyTemplate.ID + "\"", BodyTemplate.MODEL, call.tokens(), tier(script),
						script));
		return new Reply.Full(200, JSON, headers(null), template.render(messageId(), call.quotedModel(), 0));
	}

	/**
	 * A Message object. {@code id} and {@code model} are written as given, so callers
	 * pass quoted JSON strings or template slots.
	 */
	static String messageJson(String idJson, String modelJson, Tokens tokens, String tier, Script script) {
		StringBuilder json = new StringBuilder(256 + script.chunks() * 8);
		json.append("{\"id\":")
			.append(idJson)
			.append(",\"type\":\"message\",\"role\":\"assistant\",\"model\":")
			.append(modelJson)
			.append(",\"content\":[{\"type\":\"text\",\"text\":")
			.append(Text.quotedFullText(script.chunks()))
			.append("}],\"stop_reason\":")
			.append(Json.quote(stopReason(script)))
			.append(",\"stop_sequence\":null,\"usage\":");
		appendUsage(json, tokens, tokens.output(), tier, true);
		return json.append('}').toString();
	}

	static Reply stream(Call call) {
		Script script = call.script();
		Tokens tokens = call.tokens();
		String tier = tier(script);
		StringBuilder start = new StringBuilder(384);
		start.append("{\"type\":\"message_start\",\"message\":{\"id\":")
			.append(Json.quote(messageId()))
			.append(",\"type\":\"message\",\"role\":\"assistant\",\"model\":")
			.append(call.quotedModel())
			.append(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":");
		// message_start carries the input and cache counts; output so far is at most one
		// token.
		appendUsage(start, tokens, Math.min(1, tokens.output()), tier, false);
		start.append("}}");
		List<byte[]> opening = List.of(Sse.bytes(Sse.named("message_start", start.toString())), CONTENT_BLOCK_START,
				PING);
		int chunks = script.chunks();
		int updates = script.usageUpdates();
		String stopReason = stopReason(script);
		return new Reply.Stream(SSE, headers(null), opening, chunks, (i) -> {
			byte[] delta = DELTAS[Text.wordIndex(i)];
			if (updates == 1) {
				return delta;
			}
			// Several message_delta events (as with server tools), spread over the
			// content; each
			// carries cumulative usage so a correct reader takes the last one.
			StringBuilder extra = null;
			for (int k = 1; k < updates; k++) {
				if (updatePoint(chunks, updates, k) == i) {
					extra = (extra != null) ? extra : new StringBuilder();
					extra.append(messageDelta(tokens, k, updates, null));
				}
			}
			return (extra != null) ? concat(delta, Sse.bytes(extra.toString())) : delta;
		}, () -> List.of(CONTENT_BLOCK_STOP, Sse.bytes(messageDelta(tokens, updates, updates, stopReason)),
				MESSAGE_STOP));
	}

	/**
	 * The content chunk after which intermediate usage update {@code k} of {@code n} is
	 * sent.
	 */
	private static int updatePoint(int chunks, int n, int k) {
		return Math.max(0, (int) ((long) chunks * k / n) - 1);
	}

	private static String messageDelta(Tokens tokens, int k, int n, @Nullable String stopReason) {
		StringBuilder json = new StringBuilder(256);
		json.append("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":")
			.append(Json.quoteOrNull(stopReason))
			.append(",\"stop_sequence\":null},\"usage\":{\"input_tokens\":")
			.append(tokens.input())
			.append(",\"cache_creation_input_tokens\":")
			.append(tokens.cacheWrites())
			.append(",\"cache_read_input_tokens\":")
			.append(tokens.cacheRead())
			.append(",\"output_tokens\":")
			.append(tokens.output() * k / n);
		if (tokens.webSearch() + tokens.webFetch() > 0) {
			json.append(",\"server_tool_use\":{\"web_search_requests\":")
				.append((long) tokens.webSearch() * k / n)
				.append(",\"web_fetch_requests\":")
				.append((long) tokens.webFetch() * k / n)
				.append('}');
		}
		return Sse.named("message_delta", json.append("}}").toString());
	}

	private static void appendUsage(StringBuilder json, Tokens tokens, long output, String tier, boolean serverTools) {
		json.append("{\"input_tokens\":")
			.append(tokens.input())
			.append(",\"cache_creation_input_tokens\":")
			.append(tokens.cacheWrites())
			.append(",\"cache_read_input_tokens\":")
			.append(tokens.cacheRead())
			.append(",\"cache_creation\":{\"ephemeral_5m_input_tokens\":")
			.append(tokens.cacheWrite5m())
			.append(",\"ephemeral_1h_input_tokens\":")
			.append(tokens.cacheWrite1h())
			.append("},\"output_tokens\":")
			.append(output);
		if (serverTools && tokens.webSearch() + tokens.webFetch() > 0) {
			json.append(",\"server_tool_use\":{\"web_search_requests\":")
				.append(tokens.webSearch())
				.append(",\"web_fetch_requests\":")
				.append(tokens.webFetch())
				.append('}');
		}
		json.append(",\"service_tier\":").append(Json.quote(tier)).append('}');
	}

	static Reply countTokens(Call call) {
		// count_tokens knows nothing of caching: it counts the whole prompt.
		String json = "{\"input_tokens\":" + call.tokens().inputWithCache() + "}";
		return new Reply.Full(200, JSON, headers(null), json.getBytes(StandardCharsets.UTF_8));
	}

	static Reply error(ScriptedError error) {
		String type = (error.type() != null) ? error.type() : errorType(error.status());
		String message = (error.message() != null) ? error.message() : defaultMessage(error.status());
		String requestId = Ids.anthropicRequestId();
		String json = errorJson(type, message, requestId);
		return new Reply.Full(error.status(), JSON, headers(error, requestId), json.getBytes(StandardCharsets.UTF_8));
	}

	static String errorJson(String type, String message, String requestId) {
		return "{\"type\":\"error\",\"error\":{\"type\":" + Json.quote(type) + ",\"message\":" + Json.quote(message)
				+ "},\"request_id\":" + Json.quote(requestId) + "}";
	}

	static List<Header> headers(@Nullable ScriptedError error) {
		return headers(error, Ids.anthropicRequestId());
	}

	private static List<Header> headers(@Nullable ScriptedError error, String requestId) {
		boolean limited = error != null && error.status() == 429;
		List<Header> headers = new ArrayList<>(5);
		headers.add(new Header("request-id", requestId));
		headers.add(new Header("anthropic-ratelimit-requests-limit", "4000"));
		headers.add(new Header("anthropic-ratelimit-requests-remaining", limited ? "0" : "3999"));
		headers.add(new Header("anthropic-ratelimit-requests-reset", Instant.now().plusSeconds(1).toString()));
		String retryAfter = (error != null) ? error.retryAfterSeconds() : null;
		if (retryAfter != null) {
			headers.add(new Header("retry-after", retryAfter));
		}
		return headers;
	}

	static String errorType(int status) {
		return switch (status) {
			case 400 -> "invalid_request_error";
			case 401 -> "authentication_error";
			case 402 -> "billing_error";
			case 403 -> "permission_error";
			case 404 -> "not_found_error";
			case 413 -> "request_too_large";
			case 429 -> "rate_limit_error";
			case 504 -> "timeout_error";
			case 529 -> "overloaded_error";
			default -> (status >= 500) ? "api_error" : "invalid_request_error";
		};
	}

	private static String defaultMessage(int status) {
		return switch (status) {
			case 429 -> "Number of requests has exceeded your rate limit (simulated).";
			case 529 -> "Overloaded";
			case 500 -> "Internal server error";
			default -> "Simulated error " + status;
		};
	}

	static String tier(Script script) {
		return (script.serviceTier() != null) ? script.serviceTier() : DEFAULT_TIER;
	}

	static String stopReason(Script script) {
		return (script.stopReason() != null) ? script.stopReason() : DEFAULT_STOP_REASON;
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
