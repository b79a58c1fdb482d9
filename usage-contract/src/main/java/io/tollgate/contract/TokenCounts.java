package io.tollgate.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The normalised token counts of one call (in a {@link UsageEvent}) or of a bucket (in a
 * {@link MeteredUsage}). Every provider's usage object is mapped onto these buckets
 * because each is priced differently; see the design's "Provider usage facts" for the
 * mapping.
 *
 * @param input uncached input tokens only (Anthropic {@code input_tokens}; OpenAI prompt
 * or input tokens minus cached minus cache writes; Gemini prompt minus cached content)
 * @param output output tokens, reasoning or thinking tokens included
 * @param cacheWrite5m input tokens written to a cache with a five minute lifetime
 * @param cacheWrite1h input tokens written to a cache with a one hour lifetime
 * @param cacheRead input tokens read from a cache
 * @param reasoning reasoning or thinking tokens; informational only, already counted in
 * {@code output}, so never price it separately
 * @param serverToolUses server-side tool requests billed per use (e.g. web search, web
 * fetch)
 */
public record TokenCounts(@JsonProperty("input") long input, @JsonProperty("output") long output,
		@JsonProperty("cache_write_5m") long cacheWrite5m, @JsonProperty("cache_write_1h") long cacheWrite1h,
		@JsonProperty("cache_read") long cacheRead, @JsonProperty("reasoning") long reasoning,
		@JsonProperty("server_tool_uses") long serverToolUses) {

	/** No tokens at all. */
	public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0, 0, 0, 0);

	/**
	 * All input the provider processed, the basis of the context tier: uncached input
	 * plus cache writes plus cache reads.
	 * @return the total input tokens
	 */
	public long totalInput() {
		return Math.addExact(Math.addExact(this.input, this.cacheWrite5m),
				Math.addExact(this.cacheWrite1h, this.cacheRead));
	}

	/**
	 * Adds two counts field by field, as metering does when it folds events into a
	 * bucket. Overflow throws rather than wraps: a wrapped count would be billed as a
	 * wrong amount.
	 * @param other the counts to add
	 * @return the sums
	 */
	public TokenCounts plus(TokenCounts other) {
		return new TokenCounts(Math.addExact(this.input, other.input), Math.addExact(this.output, other.output),
				Math.addExact(this.cacheWrite5m, other.cacheWrite5m),
				Math.addExact(this.cacheWrite1h, other.cacheWrite1h), Math.addExact(this.cacheRead, other.cacheRead),
				Math.addExact(this.reasoning, other.reasoning),
				Math.addExact(this.serverToolUses, other.serverToolUses));
	}

}
