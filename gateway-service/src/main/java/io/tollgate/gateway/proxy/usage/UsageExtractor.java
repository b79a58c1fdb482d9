package io.tollgate.gateway.proxy.usage;

import io.tollgate.gateway.proxy.usage.PrunedJson.Pick;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One provider API's usage rules: which events and members carry usage, and how to
 * normalise them. An instance accumulates one call's state; {@link UsageTap} does the
 * byte handling and hands over pruned JSON.
 */
sealed interface UsageExtractor
		permits AnthropicUsageExtractor, OpenAiChatUsageExtractor, OpenAiResponsesUsageExtractor, GeminiUsageExtractor {

	/**
	 * What to keep of a streamed event's data.
	 * @return the pick
	 */
	Pick eventPick();

	/**
	 * What to keep of a non-streamed body.
	 * @return the pick
	 */
	Pick bodyPick();

	/**
	 * Whether an SSE event with this name can carry anything we need. Lets the tap skip
	 * the bulk of a stream (content deltas) without parsing it.
	 * @param eventName the SSE event name, null when the event has none
	 * @return whether to parse the event's data
	 */
	boolean wantsEvent(@Nullable String eventName);

	/**
	 * Whether an event's data is worth parsing, judged from its raw bytes: a cheap scan
	 * that lets the tap skip events that would change nothing. May answer true for an
	 * event that then changes nothing; must never answer false for one that would change
	 * something.
	 * @param data the buffer holding the data
	 * @param offset where the data starts
	 * @param length the data's length
	 * @return whether to parse it
	 */
	default boolean worthParsing(byte[] data, int offset, int length) {
		return true;
	}

	/**
	 * Takes in one streamed event's (pruned) JSON data.
	 * @param event the event data
	 * @return whether the usage changed
	 */
	boolean onEvent(JsonNode event);

	/**
	 * Takes in a complete non-streamed body (pruned).
	 * @param body the body
	 * @return whether the usage changed
	 */
	boolean onBody(JsonNode body);

	/**
	 * The usage accumulated so far.
	 * @return the normalised usage
	 */
	ExtractedUsage snapshot();

}
