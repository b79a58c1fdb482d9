package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Gemini's generateContent and streamGenerateContent. Streams are either SSE
 * ({@code ?alt=sse}: {@code data: {...}} events separated by CRLF CRLF, as Google sends
 * them) or one JSON array written element by element. Every streamed chunk carries
 * {@code usageMetadata} with cumulative counts, so the last chunk has the totals. Zero
 * counts other than the prompt and total are omitted, as Gemini's proto-JSON does.
 */
final class GeminiWire {

	static final String JSON = "application/json; charset=UTF-8";

	static final String SSE = "text/event-stream";

	static final String DEFAULT_FINISH_REASON = "STOP";

	private GeminiWire() {
	}

	static String responseId() {
		return Ids.base62("", 22);
	}

	static Reply generate(Call call) {
		Script script = call.script();
		BodyTemplate template = BodyTemplate.cached(List.of("gemini", script),
				() -> chunkJson(Text.quotedFullText(script.chunks()), finishReason(script), call.tokens(),
						call.tokens().output(), BodyTemplate.MODEL, "\"" + BodyTemplate.ID + "\""));
		return new Reply.Full(200, JSON, List.of(), template.render(responseId(), call.quotedModel(), 0));
	}

	static Reply stream(Call call, boolean sse) {
		Script script = call.script();
		Tokens tokens = call.tokens();
		String model = call.quotedModel();
		String id = Json.quote(responseId());
		int chunks = script.chunks();
		String finishReason = finishReason(script);
		return new Reply.Stream(sse ? SSE : JSON, List.of(), List.of(), chunks, (i) -> {
			boolean last = i == chunks - 1;
			// Output so far grows with each chunk; the last chunk reports the totals.
			long outputSoFar = (last) ? tokens.output()
					: tokens.reasoning() + (tokens.output() - tokens.reasoning()) * (i + 1) / chunks;
			String json = chunkJson(Text.QUOTED_WORDS[Text.wordIndex(i)], last ? finishReason : null, tokens,
					outputSoFar, model, id);
			String framed = sse ? "data: " + json + "\r\n\r\n" : ((i == 0) ? "[" : ",\r\n") + json;
			return framed.getBytes(StandardCharsets.UTF_8);
		}, () -> sse ? List.of() : List.of("]".getBytes(StandardCharsets.UTF_8)));
	}

	private static String chunkJson(String quotedText, @org.jspecify.annotations.Nullable String finishReason,
			Tokens tokens, long outputSoFar, String modelJson, String idJson) {
		long prompt = tokens.input() + tokens.cacheRead();
		long thoughts = tokens.reasoning();
		long candidates = outputSoFar - thoughts;
		StringBuilder json = new StringBuilder(384);
		json.append("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":")
			.append(quotedText)
			.append("}],\"role\":\"model\"}");
		if (finishReason != null) {
			json.append(",\"finishReason\":").append(Json.quote(finishReason));
		}
		json.append(",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":").append(prompt);
		if (candidates > 0) {
			json.append(",\"candidatesTokenCount\":").append(candidates);
		}
		json.append(",\"totalTokenCount\":").append(prompt + outputSoFar);
		if (tokens.cacheRead() > 0) {
			json.append(",\"cachedContentTokenCount\":").append(tokens.cacheRead());
		}
		json.append(",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":").append(prompt).append("}]");
		if (thoughts > 0) {
			json.append(",\"thoughtsTokenCount\":").append(thoughts);
		}
		json.append("},\"modelVersion\":").append(modelJson).append(",\"responseId\":").append(idJson).append('}');
		return json.toString();
	}

	static Reply error(ScriptedError error) {
		String status = (error.type() != null) ? error.type() : statusName(error.status());
		String message = (error.message() != null) ? error.message() : defaultMessage(error.status());
		StringBuilder json = new StringBuilder(256);
		json.append("{\"error\":{\"code\":")
			.append(error.status())
			.append(",\"message\":")
			.append(Json.quote(message))
			.append(",\"status\":")
			.append(Json.quote(status));
		String retryAfter = error.retryAfterSeconds();
		if (retryAfter != null) {
			// Gemini says when to retry in the body (google.rpc.RetryInfo), not in a
			// header.
			json.append(",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"")
				.append(retryAfter)
				.append("s\"}]");
		}
		json.append("}}");
		return new Reply.Full(error.status(), JSON, List.of(), json.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static String statusName(int status) {
		return switch (status) {
			case 400 -> "INVALID_ARGUMENT";
			case 401 -> "UNAUTHENTICATED";
			case 403 -> "PERMISSION_DENIED";
			case 404 -> "NOT_FOUND";
			case 429 -> "RESOURCE_EXHAUSTED";
			case 500 -> "INTERNAL";
			case 503 -> "UNAVAILABLE";
			case 504 -> "DEADLINE_EXCEEDED";
			default -> (status >= 500) ? "UNAVAILABLE" : "FAILED_PRECONDITION";
		};
	}

	private static String defaultMessage(int status) {
		return switch (status) {
			case 429 -> "Resource has been exhausted (e.g. check quota). (simulated)";
			case 500 -> "An internal error has occurred. Please retry.";
			case 503 -> "The model is overloaded. Please try again later.";
			default -> "Simulated error " + status;
		};
	}

	private static String finishReason(Script script) {
		return (script.stopReason() != null) ? script.stopReason() : DEFAULT_FINISH_REASON;
	}

}
