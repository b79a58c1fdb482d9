package io.tollgate.gateway.proxy.usage;

import java.util.Map;
import java.util.Set;

import io.tollgate.gateway.proxy.usage.PrunedJson.Pick;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static io.tollgate.gateway.proxy.usage.PrunedJson.ALL;
import static io.tollgate.gateway.proxy.usage.PrunedJson.fields;
import static io.tollgate.gateway.proxy.usage.PrunedJson.object;
import static io.tollgate.gateway.proxy.usage.PrunedJson.text;

/**
 * OpenAI Responses usage.
 *
 * <p>
 * Algorithm: usage lives in the response object: the body of a non-streamed call, and the
 * {@code response} member of the stream's lifecycle events. {@code response.created}
 * gives the model early; {@code response.completed}, {@code response.incomplete} and
 * {@code response.failed} carry the final {@code usage}. All other events (output deltas,
 * the bulk of a stream) are skipped by name without parsing. The output items inside the
 * final response are skipped by the pruned read.
 *
 * <p>
 * Normalisation: {@code input_tokens} includes {@code input_tokens_details.cached_tokens}
 * (and {@code cache_write_tokens}, where reported): uncached input is input minus both.
 * {@code output_tokens} includes {@code output_tokens_details.reasoning_tokens}. The stop
 * reason is {@code incomplete_details.reason} when there is one (e.g.
 * {@code max_output_tokens}), otherwise the final {@code status} ({@code completed},
 * {@code failed}, ...).
 */
final class OpenAiResponsesUsageExtractor implements UsageExtractor {

	private static final Pick RESPONSE = fields(
			Map.of("model", ALL, "status", ALL, "service_tier", ALL, "incomplete_details", ALL, "usage", ALL));

	private static final Pick EVENT = fields(Map.of("type", ALL, "response", RESPONSE));

	private static final Set<String> LIFECYCLE_EVENTS = Set.of("response.created", "response.queued",
			"response.in_progress", "response.completed", "response.incomplete", "response.failed");

	// Statuses of a running response: they say nothing about why it stopped.
	private static final Set<String> RUNNING = Set.of("queued", "in_progress");

	private final OpenAiReport report = new OpenAiReport("input", "output");

	@Override
	public Pick eventPick() {
		return EVENT;
	}

	@Override
	public Pick bodyPick() {
		return RESPONSE;
	}

	@Override
	public boolean wantsEvent(@Nullable String eventName) {
		return eventName == null || LIFECYCLE_EVENTS.contains(eventName);
	}

	@Override
	public boolean onEvent(JsonNode event) {
		JsonNode response = object(event, "response");
		return response != null && onBody(response);
	}

	@Override
	public boolean onBody(JsonNode response) {
		boolean changed = this.report.merge(response);
		String status = text(response, "status");
		if (status != null && !RUNNING.contains(status)) {
			String incompleteReason = text(object(response, "incomplete_details"), "reason");
			changed |= this.report.stopReason((incompleteReason != null) ? incompleteReason : status);
		}
		return changed;
	}

	@Override
	public ExtractedUsage snapshot() {
		return this.report.snapshot();
	}

}
