package io.tollgate.gateway.proxy.usage;

import java.util.Map;

import io.tollgate.gateway.proxy.usage.PrunedJson.Pick;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static io.tollgate.gateway.proxy.usage.PrunedJson.ALL;
import static io.tollgate.gateway.proxy.usage.PrunedJson.count;
import static io.tollgate.gateway.proxy.usage.PrunedJson.fields;
import static io.tollgate.gateway.proxy.usage.PrunedJson.object;
import static io.tollgate.gateway.proxy.usage.PrunedJson.text;

/**
 * Gemini generateContent / streamGenerateContent usage.
 *
 * <p>
 * Algorithm: every response object (the body, each {@code alt=sse} event, each element of
 * the JSON array that streamGenerateContent returns without {@code alt=sse}) may carry a
 * {@code usageMetadata} that is CUMULATIVE for the call: the last one seen replaces the
 * earlier ones whole (early chunks often carry only the prompt count). Model is
 * {@code modelVersion}, stop reason the last {@code candidates[0].finishReason} seen.
 *
 * <p>
 * Normalisation: {@code promptTokenCount} includes {@code cachedContentTokenCount}, so
 * uncached input is their difference; {@code toolUsePromptTokenCount} (tool results fed
 * back to the model, e.g. search grounding) is input that {@code promptTokenCount} leaves
 * out ({@code totalTokenCount} is the sum of prompt, candidates, tool-use prompt and
 * thoughts), so it is added. Output is {@code candidatesTokenCount + thoughtsTokenCount}:
 * thinking is billed as output. Cache reads are {@code cachedContentTokenCount}; Gemini
 * reports no cache writes.
 */
final class GeminiUsageExtractor implements UsageExtractor {

	private static final Pick RESPONSE = fields(
			Map.of("modelVersion", ALL, "candidates", fields(Map.of("finishReason", ALL)), "usageMetadata", ALL));

	private @Nullable String model;

	private @Nullable String stopReason;

	private @Nullable JsonNode usageMetadata;

	@Override
	public Pick eventPick() {
		return RESPONSE;
	}

	@Override
	public Pick bodyPick() {
		// A pick applies to each element of an array, so this also prunes the
		// JSON-array form.
		return RESPONSE;
	}

	@Override
	public boolean wantsEvent(@Nullable String eventName) {
		// Gemini's SSE events have no names.
		return true;
	}

	@Override
	public boolean onEvent(JsonNode event) {
		return merge(event);
	}

	@Override
	public boolean onBody(JsonNode body) {
		if (!body.isArray()) {
			return merge(body);
		}
		boolean changed = false;
		for (JsonNode response : body) {
			changed |= merge(response);
		}
		return changed;
	}

	private boolean merge(JsonNode response) {
		boolean changed = false;
		String version = text(response, "modelVersion");
		if (version != null && !version.equals(this.model)) {
			this.model = version;
			changed = true;
		}
		JsonNode candidates = response.get("candidates");
		if (candidates != null && candidates.isArray() && !candidates.isEmpty()) {
			String reason = text(candidates.get(0), "finishReason");
			if (reason != null && !reason.equals(this.stopReason)) {
				this.stopReason = reason;
				changed = true;
			}
		}
		JsonNode reported = object(response, "usageMetadata");
		if (reported != null) {
			this.usageMetadata = reported;
			changed = true;
		}
		return changed;
	}

	@Override
	public ExtractedUsage snapshot() {
		JsonNode reported = this.usageMetadata;
		if (reported == null) {
			return new ExtractedUsage(this.model, 0, 0, 0, 0, 0, 0, 0, this.stopReason, null, false);
		}
		long cached = count(reported, "cachedContentTokenCount");
		long uncached = Math.max(0, count(reported, "promptTokenCount") - cached)
				+ count(reported, "toolUsePromptTokenCount");
		long thoughts = count(reported, "thoughtsTokenCount");
		long output = count(reported, "candidatesTokenCount") + thoughts;
		return new ExtractedUsage(this.model, uncached, output, 0, 0, cached, thoughts, 0, this.stopReason, null, true);
	}

}
