package io.tollgate.gateway.proxy.usage;

import org.jspecify.annotations.Nullable;

/**
 * One model call's token usage, normalised so that each field means the same thing
 * whichever provider reported it. Providers disagree on what their "input" count
 * includes; these are the rules (see design.md, "Provider usage facts the gateway must
 * get right"):
 * <ul>
 * <li>{@code inputTokens}: input billed at the base rate, neither written to nor read
 * from a prompt cache. Anthropic: {@code input_tokens} (already excludes cache). OpenAI:
 * {@code prompt_tokens}/{@code input_tokens} minus cached minus cache-written tokens.
 * Gemini: {@code promptTokenCount - cachedContentTokenCount + toolUsePromptTokenCount}
 * (tool results fed back to the model are input that {@code promptTokenCount} leaves
 * out).</li>
 * <li>{@code outputTokens}: everything billed at the output rate, reasoning included.
 * Gemini reports thoughts apart from candidates, so it is their sum there.</li>
 * <li>{@code cacheWrite5mTokens}, {@code cacheWrite1hTokens}: prompt cache writes by TTL.
 * Anthropic's total without a TTL split counts as 5m (the default TTL). OpenAI's
 * {@code cache_write_tokens}, where present, has no TTL and counts as 5m.</li>
 * <li>{@code cacheReadTokens}: input served from a prompt cache.</li>
 * <li>{@code reasoningTokens}: informational only, already inside
 * {@code outputTokens}.</li>
 * <li>{@code serverToolUses}: provider-executed tool requests billed per use (Anthropic
 * web search and web fetch requests).</li>
 * <li>{@code usageSeen}: whether the provider reported any usage at all; false means the
 * counts are unknown, not zero.</li>
 * </ul>
 *
 * @param model the model exactly as the provider reported it, if seen
 * @param inputTokens uncached input tokens
 * @param outputTokens output tokens, reasoning included
 * @param cacheWrite5mTokens input tokens written to a 5-minute (or TTL-less) prompt cache
 * @param cacheWrite1hTokens input tokens written to a 1-hour prompt cache
 * @param cacheReadTokens input tokens read from a prompt cache
 * @param reasoningTokens reasoning/thinking tokens, already counted in output
 * @param serverToolUses server-side tool requests (web search, web fetch)
 * @param stopReason why generation stopped, in the provider's words, if seen
 * @param serviceTier the provider's service tier, if reported
 * @param usageSeen whether the provider reported usage
 */
public record ExtractedUsage(@Nullable String model, long inputTokens, long outputTokens, long cacheWrite5mTokens,
		long cacheWrite1hTokens, long cacheReadTokens, long reasoningTokens, long serverToolUses,
		@Nullable String stopReason, @Nullable String serviceTier, boolean usageSeen) {

	private static final ExtractedUsage NONE = new ExtractedUsage(null, 0, 0, 0, 0, 0, 0, 0, null, null, false);

	public ExtractedUsage {
		// Extraction clamps provider arithmetic (e.g. prompt minus cached) at zero; a
		// negative count here is a bug that would otherwise turn into a refund
		// downstream.
		requireNonNegative("inputTokens", inputTokens);
		requireNonNegative("outputTokens", outputTokens);
		requireNonNegative("cacheWrite5mTokens", cacheWrite5mTokens);
		requireNonNegative("cacheWrite1hTokens", cacheWrite1hTokens);
		requireNonNegative("cacheReadTokens", cacheReadTokens);
		requireNonNegative("reasoningTokens", reasoningTokens);
		requireNonNegative("serverToolUses", serverToolUses);
	}

	/**
	 * The usage of a call for which nothing was seen (yet).
	 * @return the empty usage, {@code usageSeen == false}
	 */
	public static ExtractedUsage none() {
		return NONE;
	}

	/**
	 * All input the request used, cached or not: the figure that decides the long-context
	 * pricing tier.
	 * @return uncached input plus cache writes plus cache reads
	 */
	public long totalInputTokens() {
		return this.inputTokens + this.cacheWrite5mTokens + this.cacheWrite1hTokens + this.cacheReadTokens;
	}

	private static void requireNonNegative(String name, long value) {
		if (value < 0) {
			throw new IllegalArgumentException(name + " must not be negative: " + value);
		}
	}

}
