package io.tollgate.simulator;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Responses API: the {@code response} object and its semantic event stream
 * ({@code response.created}, {@code response.in_progress}, output item and content part
 * events, {@code response.output_text.delta} per chunk, and {@code response.completed} or
 * {@code response.incomplete} carrying the whole response with its usage). With reasoning
 * tokens the output starts with a {@code reasoning} item, as reasoning models answer.
 */
final class OpenAiResponsesWire {

	private static final String COMPLETED = "completed";

	private OpenAiResponsesWire() {
	}

	static Reply response(Call call) {
		Script script = call.script();
		BodyTemplate template = BodyTemplate.cached(List.of("openai.responses", script), () -> {
			String id = BodyTemplate.ID;
			String output = output(call.tokens(), "\"rs_" + id + "\"", "\"msg_" + id + "\"", status(script),
					Text.quotedFullText(script.chunks()));
			return responseJson("\"resp_" + id + "\"", BodyTemplate.CREATED, BodyTemplate.MODEL, script, true, output,
					call.tokens());
		});
		return new Reply.Full(200, OpenAiWire.JSON, OpenAiWire.headers(null),
				template.render(Ids.hex("", 48), call.quotedModel(), OpenAiWire.created()));
	}

	static Reply stream(Call call) {
		Script script = call.script();
		Tokens tokens = call.tokens();
		String random = Ids.hex("", 48);
		String responseId = Json.quote("resp_" + random);
		String messageId = Json.quote("msg_" + random);
		String reasoningId = Json.quote("rs_" + random);
		String created = Long.toString(OpenAiWire.created());
		String model = call.quotedModel();
		boolean reasoning = tokens.reasoning() > 0;
		int messageIndex = reasoning ? 1 : 0;
		String inProgress = responseJson(responseId, created, model, script, false, "[]", null);

		List<byte[]> opening = new ArrayList<>(6);
		int seq = 0;
		opening.add(event("response.created", seq++, ",\"response\":" + inProgress));
		opening.add(event("response.in_progress", seq++, ",\"response\":" + inProgress));
		if (reasoning) {
			String item = reasoningItem(reasoningId);
			opening.add(event("response.output_item.added", seq++, ",\"output_index\":0,\"item\":" + item));
			opening.add(event("response.output_item.done", seq++, ",\"output_index\":0,\"item\":" + item));
		}
		String itemRef = ",\"item_id\":" + messageId + ",\"output_index\":" + messageIndex + ",\"content_index\":0";
		opening.add(event("response.output_item.added", seq++,
				",\"output_index\":" + messageIndex + ",\"item\":" + messageItem(messageId, "in_progress", "")));
		opening.add(event("response.content_part.added", seq++, itemRef + ",\"part\":" + part("\"\"")));

		String[] deltaRest = new String[Text.WORDS.length];
		for (int i = 0; i < deltaRest.length; i++) {
			deltaRest[i] = itemRef + ",\"delta\":" + Text.QUOTED_WORDS[i] + ",\"logprobs\":[]}";
		}
		int firstDelta = seq;
		int chunks = script.chunks();
		return new Reply.Stream(OpenAiWire.SSE, OpenAiWire.headers(null), opening, chunks,
				(i) -> Sse.bytes(Sse.named("response.output_text.delta",
						"{\"type\":\"response.output_text.delta\",\"sequence_number\":" + (firstDelta + i)
								+ deltaRest[Text.wordIndex(i)])),
				() -> {
					String text = Text.quotedFullText(chunks);
					String status = status(script);
					int next = firstDelta + chunks;
					List<byte[]> closing = new ArrayList<>(5);
					closing.add(event("response.output_text.done", next++,
							itemRef + ",\"text\":" + text + ",\"logprobs\":[]"));
					closing.add(event("response.content_part.done", next++, itemRef + ",\"part\":" + part(text)));
					closing.add(event("response.output_item.done", next++, ",\"output_index\":" + messageIndex
							+ ",\"item\":" + messageItem(messageId, status, part(text))));
					String finished = responseJson(responseId, created, model, script, true,
							output(tokens, reasoningId, messageId, status, text), tokens);
					String terminal = COMPLETED.equals(status) ? "response.completed" : "response.incomplete";
					closing.add(event(terminal, next, ",\"response\":" + finished));
					return closing;
				});
	}

	private static byte[] event(String type, int sequence, String rest) {
		return Sse.bytes(Sse.named(type, "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence + rest + "}"));
	}

	private static String status(Script script) {
		String stop = script.stopReason();
		return (stop == null || COMPLETED.equals(stop)) ? COMPLETED : "incomplete";
	}

	private static String output(Tokens tokens, String reasoningId, String messageId, String status,
			String quotedText) {
		String message = messageItem(messageId, status, part(quotedText));
		return (tokens.reasoning() > 0) ? "[" + reasoningItem(reasoningId) + "," + message + "]" : "[" + message + "]";
	}

	private static String reasoningItem(String id) {
		return "{\"id\":" + id + ",\"type\":\"reasoning\",\"summary\":[]}";
	}

	private static String messageItem(String id, String status, String content) {
		return "{\"id\":" + id + ",\"type\":\"message\",\"status\":\"" + status + "\",\"content\":[" + content
				+ "],\"role\":\"assistant\"}";
	}

	private static String part(String quotedText) {
		return "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":" + quotedText + "}";
	}

	/**
	 * The response object; {@code finished} false gives the in-progress form of
	 * {@code response.created} (no usage yet).
	 */
	private static String responseJson(String idJson, String created, String modelJson, Script script, boolean finished,
			String output, @Nullable Tokens tokens) {
		String status = finished ? status(script) : "in_progress";
		String incomplete = "incomplete".equals(status)
				? "{\"reason\":" + Json.quote(String.valueOf(script.stopReason())) + "}" : "null";
		StringBuilder json = new StringBuilder(768 + output.length());
		json.append("{\"id\":")
			.append(idJson)
			.append(",\"object\":\"response\",\"created_at\":")
			.append(created)
			.append(",\"status\":\"")
			.append(status)
			.append("\",\"background\":false,\"error\":null,\"incomplete_details\":")
			.append(incomplete)
			.append(",\"instructions\":null,\"max_output_tokens\":null,\"model\":")
			.append(modelJson)
			.append(",\"output\":")
			.append(output)
			.append(",\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},\"service_tier\":")
			.append(Json.quote(OpenAiWire.tier(script)))
			.append(",\"store\":true,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":");
		if (tokens != null) {
			long input = tokens.inputWithCache();
			json.append("{\"input_tokens\":")
				.append(input)
				.append(",\"input_tokens_details\":{\"cached_tokens\":")
				.append(tokens.cacheRead())
				.append("},\"output_tokens\":")
				.append(tokens.output())
				.append(",\"output_tokens_details\":{\"reasoning_tokens\":")
				.append(tokens.reasoning())
				.append("},\"total_tokens\":")
				.append(input + tokens.output())
				.append('}');
		}
		else {
			json.append("null");
		}
		return json.append(",\"user\":null,\"metadata\":{}}").toString();
	}

}
