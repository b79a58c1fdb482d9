package io.tollgate.gateway.proxy.usage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import io.tollgate.gateway.proxy.usage.PrunedJson.Pick;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static io.tollgate.gateway.proxy.usage.PrunedJson.ALL;
import static io.tollgate.gateway.proxy.usage.PrunedJson.count;
import static io.tollgate.gateway.proxy.usage.PrunedJson.fields;
import static io.tollgate.gateway.proxy.usage.PrunedJson.text;

/**
 * OpenAI Chat Completions usage.
 *
 * <p>
 * Algorithm: a non-streamed completion and every streamed chunk share one top-level shape
 * ({@code model}, {@code service_tier}, {@code choices[].finish_reason}, {@code usage}),
 * so both go through the same merge: keep the last model, tier and choice-0 finish reason
 * seen, and the last non-null {@code usage} object. A stream carries usage only when the
 * request set {@code stream_options.include_usage} (see {@link OpenAiUsageInjection}), in
 * a last chunk with empty {@code choices}; every other chunk has {@code "usage":null}.
 *
 * <p>
 * Normalisation: {@code prompt_tokens} includes cached tokens
 * ({@code prompt_tokens_details.cached_tokens}) and, where reported, cache-written tokens
 * ({@code prompt_tokens_details.cache_write_tokens}): uncached input is prompt minus
 * both. Output is {@code completion_tokens}, which includes
 * {@code completion_tokens_details.reasoning_tokens}.
 */
final class OpenAiChatUsageExtractor implements UsageExtractor {

	private static final Pick CHUNK = fields(Map.of("model", ALL, "service_tier", ALL, "choices",
			fields(Map.of("index", ALL, "finish_reason", ALL)), "usage", ALL));

	private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] FINISH_REASON_KEY = "\"finish_reason\"".getBytes(StandardCharsets.US_ASCII);

	private final OpenAiReport report = new OpenAiReport("prompt", "completion");

	@Override
	public Pick eventPick() {
		return CHUNK;
	}

	@Override
	public Pick bodyPick() {
		return CHUNK;
	}

	@Override
	public boolean wantsEvent(@Nullable String eventName) {
		// Chat completion streams have no event names.
		return true;
	}

	@Override
	public boolean worthParsing(byte[] data, int offset, int length) {
		// Every chunk repeats model and tier: after the first, only a chunk with a
		// non-null usage or finish_reason can change anything. Most chunks are content
		// deltas.
		return !this.report.knowsModel() || hasNonNullMember(data, offset, offset + length, USAGE_KEY)
				|| hasNonNullMember(data, offset, offset + length, FINISH_REASON_KEY);
	}

	/**
	 * Whether the bytes hold {@code "key"} followed by a colon and a value other than
	 * {@code null}. A false positive (the key inside a string or a nested object) only
	 * costs a parse. The key is matched as OpenAI writes it, without escapes.
	 */
	private static boolean hasNonNullMember(byte[] data, int from, int end, byte[] key) {
		int last = end - key.length;
		for (int i = from; i <= last; i++) {
			if (data[i] != '"' || !Arrays.equals(data, i, i + key.length, key, 0, key.length)) {
				continue;
			}
			int j = JsonSpans.skipWhitespace(data, i + key.length, end);
			if (j < end && data[j] == ':') {
				j = JsonSpans.skipWhitespace(data, j + 1, end);
				if (j < end && data[j] != 'n') {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public boolean onEvent(JsonNode event) {
		return merge(event);
	}

	@Override
	public boolean onBody(JsonNode body) {
		return merge(body);
	}

	private boolean merge(JsonNode chunk) {
		boolean changed = this.report.merge(chunk);
		JsonNode choices = chunk.get("choices");
		if (choices != null && choices.isArray()) {
			for (JsonNode choice : choices) {
				// With n > 1 choices finish separately; the call's is choice 0's.
				if (count(choice, "index") == 0) {
					changed |= this.report.stopReason(text(choice, "finish_reason"));
				}
			}
		}
		return changed;
	}

	@Override
	public ExtractedUsage snapshot() {
		return this.report.snapshot();
	}

}
