package io.tollgate.gateway.proxy.usage;

import java.util.Map;

import io.tollgate.gateway.proxy.usage.PrunedJson.Pick;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static io.tollgate.gateway.proxy.usage.PrunedJson.ALL;
import static io.tollgate.gateway.proxy.usage.PrunedJson.count;
import static io.tollgate.gateway.proxy.usage.PrunedJson.fields;
import static io.tollgate.gateway.proxy.usage.PrunedJson.hasCount;
import static io.tollgate.gateway.proxy.usage.PrunedJson.object;
import static io.tollgate.gateway.proxy.usage.PrunedJson.text;

/**
 * Anthropic Messages usage.
 *
 * <p>
 * Algorithm: keep the last reported value of each usage member. A non-streamed message
 * has one {@code usage}; a stream has {@code message_start.message.usage} (input, cache
 * counts and their TTL split, model) and then any number of {@code message_delta.usage},
 * each CUMULATIVE (server tools make several): every member a delta carries replaces the
 * earlier value, it is never added. That includes input and cache counts, which a final
 * delta may restate larger than message_start had them (server tool results are input).
 * Members a delta leaves out keep their earlier value.
 *
 * <p>
 * Normalisation: {@code input_tokens} already excludes the cache. Cache writes are split
 * into 5m/1h by {@code cache_creation.ephemeral_5m_input_tokens} /
 * {@code ephemeral_1h_input_tokens}; a total without a split (older API versions), or the
 * part of the total the split does not account for, counts as 5m, so the total input is
 * never under-counted. Server tool uses are {@code server_tool_use.web_search_requests +
 * web_fetch_requests}.
 */
final class AnthropicUsageExtractor implements UsageExtractor {

	private static final Pick USAGE_MESSAGE = fields(
			Map.of("type", ALL, "model", ALL, "stop_reason", ALL, "usage", ALL));

	private static final Pick EVENT = fields(
			Map.of("type", ALL, "message", USAGE_MESSAGE, "delta", fields(Map.of("stop_reason", ALL)), "usage", ALL));

	private @Nullable String model;

	private @Nullable String stopReason;

	private @Nullable String serviceTier;

	private long inputTokens;

	private long cacheCreationTokens;

	private long cacheCreation5mTokens;

	private long cacheCreation1hTokens;

	private boolean cacheCreationSplitSeen;

	private long cacheReadTokens;

	private long outputTokens;

	private long webSearchRequests;

	private long webFetchRequests;

	private boolean usageSeen;

	/**
	 * Normalises a complete message object, e.g. one Message Batches result.
	 * @param message the message (pruned with {@link #messagePick()} or whole)
	 * @return its usage
	 */
	static ExtractedUsage fromMessage(JsonNode message) {
		AnthropicUsageExtractor extractor = new AnthropicUsageExtractor();
		extractor.onBody(message);
		return extractor.snapshot();
	}

	/**
	 * What a message object must keep for {@link #fromMessage}.
	 * @return the pick
	 */
	static Pick messagePick() {
		return USAGE_MESSAGE;
	}

	@Override
	public Pick eventPick() {
		return EVENT;
	}

	@Override
	public Pick bodyPick() {
		return USAGE_MESSAGE;
	}

	@Override
	public boolean wantsEvent(@Nullable String eventName) {
		return eventName == null || "message_start".equals(eventName) || "message_delta".equals(eventName);
	}

	@Override
	public boolean onEvent(JsonNode event) {
		String type = text(event, "type");
		if ("message_start".equals(type)) {
			JsonNode message = object(event, "message");
			return message != null && onBody(message);
		}
		if ("message_delta".equals(type)) {
			boolean changed = takeStopReason(text(object(event, "delta"), "stop_reason"));
			return mergeUsage(object(event, "usage")) || changed;
		}
		return false;
	}

	@Override
	public boolean onBody(JsonNode body) {
		String reportedModel = text(body, "model");
		boolean changed = false;
		if (reportedModel != null && !reportedModel.equals(this.model)) {
			this.model = reportedModel;
			changed = true;
		}
		changed |= takeStopReason(text(body, "stop_reason"));
		return mergeUsage(object(body, "usage")) || changed;
	}

	private boolean takeStopReason(@Nullable String reason) {
		if (reason == null || reason.equals(this.stopReason)) {
			return false;
		}
		this.stopReason = reason;
		return true;
	}

	private boolean mergeUsage(@Nullable JsonNode usage) {
		if (usage == null) {
			return false;
		}
		this.usageSeen = true;
		if (hasCount(usage, "input_tokens")) {
			this.inputTokens = count(usage, "input_tokens");
		}
		if (hasCount(usage, "cache_creation_input_tokens")) {
			this.cacheCreationTokens = count(usage, "cache_creation_input_tokens");
		}
		if (hasCount(usage, "cache_read_input_tokens")) {
			this.cacheReadTokens = count(usage, "cache_read_input_tokens");
		}
		if (hasCount(usage, "output_tokens")) {
			this.outputTokens = count(usage, "output_tokens");
		}
		JsonNode split = object(usage, "cache_creation");
		if (split != null) {
			// The split is reported whole: a missing TTL means none was written.
			this.cacheCreationSplitSeen = true;
			this.cacheCreation5mTokens = count(split, "ephemeral_5m_input_tokens");
			this.cacheCreation1hTokens = count(split, "ephemeral_1h_input_tokens");
		}
		JsonNode serverTools = object(usage, "server_tool_use");
		if (serverTools != null) {
			this.webSearchRequests = count(serverTools, "web_search_requests");
			this.webFetchRequests = count(serverTools, "web_fetch_requests");
		}
		String tier = text(usage, "service_tier");
		if (tier != null) {
			this.serviceTier = tier;
		}
		return true;
	}

	@Override
	public ExtractedUsage snapshot() {
		long write5m = this.cacheCreationSplitSeen ? this.cacheCreation5mTokens : 0;
		long write1h = this.cacheCreationSplitSeen ? this.cacheCreation1hTokens : 0;
		long unsplit = this.cacheCreationTokens - write5m - write1h;
		if (unsplit > 0) {
			write5m += unsplit;
		}
		return new ExtractedUsage(this.model, this.inputTokens, this.outputTokens, write5m, write1h,
				this.cacheReadTokens, 0, this.webSearchRequests + this.webFetchRequests, this.stopReason,
				this.serviceTier, this.usageSeen);
	}

}
