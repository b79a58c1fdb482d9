package io.tollgate.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Chat Completions: the {@code chat.completion} object and its
 * {@code chat.completion.chunk} stream, with {@code stream_options.include_usage}
 * honoured as OpenAI does: without it no chunk carries usage; with it every chunk has
 * {@code "usage":null} and one extra chunk with {@code "choices":[]} carries the usage
 * before {@code data: [DONE]}.
 */
final class OpenAiChatWire {

	static final String DEFAULT_FINISH_REASON = "stop";

	private static final String FINGERPRINT = "\"fp_simulator\"";

	private static final byte[] DONE = Sse.bytes(Sse.data("[DONE]"));

	private OpenAiChatWire() {
	}

	static String completionId() {
		return Ids.base62("chatcmpl-", 29);
	}

	static Reply completion(Call call) {
		Script script = call.script();
		BodyTemplate template = BodyTemplate.cached(List.of("openai.chat", script), () -> {
			StringBuilder json = new StringBuilder(512 + script.chunks() * 8);
			json.append("{\"id\":\"")
				.append(BodyTemplate.ID)
				.append("\",\"object\":\"chat.completion\",\"created\":")
				.append(BodyTemplate.CREATED)
				.append(",\"model\":")
				.append(BodyTemplate.MODEL)
				.append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":")
				.append(Text.quotedFullText(script.chunks()))
				.append(",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":")
				.append(Json.quote(finishReason(script)))
				.append("}],\"usage\":");
			appendUsage(json, call.tokens());
			json.append(",\"service_tier\":")
				.append(Json.quote(OpenAiWire.tier(script)))
				.append(",\"system_fingerprint\":")
				.append(FINGERPRINT)
				.append('}');
			return json.toString();
		});
		return new Reply.Full(200, OpenAiWire.JSON, OpenAiWire.headers(null),
				template.render(completionId(), call.quotedModel(), OpenAiWire.created()));
	}

	static void appendUsage(StringBuilder json, Tokens tokens) {
		long prompt = tokens.inputWithCache();
		json.append("{\"prompt_tokens\":")
			.append(prompt)
			.append(",\"completion_tokens\":")
			.append(tokens.output())
			.append(",\"total_tokens\":")
			.append(prompt + tokens.output())
			.append(",\"prompt_tokens_details\":{\"cached_tokens\":")
			.append(tokens.cacheRead())
			.append(",\"audio_tokens\":0");
		if (tokens.cacheWrites() > 0) {
			// Not in OpenAI's own answers; some compatible providers report written
			// tokens here.
			json.append(",\"cache_write_tokens\":").append(tokens.cacheWrites());
		}
		json.append("},\"completion_tokens_details\":{\"reasoning_tokens\":")
			.append(tokens.reasoning())
			.append(",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}");
	}

	static Reply stream(Call call) {
		Script script = call.script();
		// Every chunk repeats id, created, model, tier and fingerprint; build that head
		// once.
		String head = "{\"id\":" + Json.quote(completionId()) + ",\"object\":\"chat.completion.chunk\",\"created\":"
				+ OpenAiWire.created() + ",\"model\":" + call.quotedModel() + ",\"service_tier\":"
				+ Json.quote(OpenAiWire.tier(script)) + ",\"system_fingerprint\":" + FINGERPRINT + ",\"choices\":[";
		String tail = call.includeUsage() ? "],\"usage\":null}" : "]}";
		byte[][] words = new byte[Text.WORDS.length][];
		for (int i = 0; i < words.length; i++) {
			words[i] = Sse.bytes(Sse.data(head + "{\"index\":0,\"delta\":{\"content\":" + Text.QUOTED_WORDS[i]
					+ "},\"logprobs\":null,\"finish_reason\":null}" + tail));
		}
		byte[] first = Sse.bytes(Sse.data(head
				+ "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}"
				+ tail));
		return new Reply.Stream(OpenAiWire.SSE, OpenAiWire.headers(null), List.of(first), script.chunks(),
				(i) -> words[Text.wordIndex(i)], () -> {
					List<byte[]> closing = new ArrayList<>(3);
					closing
						.add(Sse.bytes(Sse.data(head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":"
								+ Json.quote(finishReason(script)) + "}" + tail)));
					if (call.includeUsage()) {
						StringBuilder usage = new StringBuilder(head.length() + 256).append(head)
							.append("],\"usage\":");
						appendUsage(usage, call.tokens());
						closing.add(Sse.bytes(Sse.data(usage.append('}').toString())));
					}
					closing.add(DONE);
					return closing;
				});
	}

	private static String finishReason(Script script) {
		return (script.stopReason() != null) ? script.stopReason() : DEFAULT_FINISH_REASON;
	}

}
