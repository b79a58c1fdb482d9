package io.tollgate.simulator;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What the simulator answers to one request: exact token counts, pacing and failures.
 *
 * <p>
 * Token counts mean the same on every provider, and each route maps them to its own
 * fields:
 * <ul>
 * <li>{@code inputTokens} is uncached input. Anthropic reports it as
 * {@code input_tokens}; OpenAI's {@code prompt_tokens} / {@code input_tokens} and
 * Gemini's {@code promptTokenCount} include the cached tokens, so they report
 * {@code inputTokens + cacheRead (+ cache writes for OpenAI)}.</li>
 * <li>{@code outputTokens} is all billed output, reasoning included (OpenAI
 * {@code completion_tokens} / {@code output_tokens}, Anthropic {@code output_tokens});
 * Gemini reports it split: {@code candidatesTokenCount = outputTokens - reasoningTokens}
 * and {@code thoughtsTokenCount = reasoningTokens}.</li>
 * <li>{@code cacheWrite5m} and {@code cacheWrite1h} are Anthropic's cache writes by TTL;
 * {@code cacheRead} is cache hits on every provider. Gemini has no cache writes.</li>
 * </ul>
 *
 * @param inputTokens uncached input tokens, or {@link #DERIVED} to derive them from the
 * request body size (about 4 bytes per token)
 * @param outputTokens output tokens, reasoning included
 * @param cacheWrite5m Anthropic cache-write tokens with the 5 minute TTL
 * @param cacheWrite1h Anthropic cache-write tokens with the 1 hour TTL
 * @param cacheRead cached input tokens read
 * @param reasoningTokens the part of {@code outputTokens} that is reasoning
 * @param webSearchRequests Anthropic {@code server_tool_use.web_search_requests}
 * @param webFetchRequests Anthropic {@code server_tool_use.web_fetch_requests}
 * @param serviceTier the service tier to report; {@code null} for the provider's default
 * ({@code standard} for Anthropic, {@code default} for OpenAI; Gemini reports none)
 * @param stopReason the stop / finish reason written verbatim into the route's field;
 * {@code null} for the provider's normal one ({@code end_turn}, {@code stop},
 * {@code STOP}). On the Responses API anything other than {@code completed} makes the
 * response {@code incomplete} with that reason.
 * @param chunks number of streamed content chunks (one word each), at least 1; the
 * non-streamed answer has the same text
 * @param usageUpdates number of Anthropic {@code message_delta} events in a stream, each
 * carrying cumulative usage (the last one the final counts), at least 1
 * @param latency delay before the first byte of the response
 * @param chunkDelay delay before each streamed content chunk
 * @param error an error to answer with instead of a result, or {@code null}
 * @param abortAfterChunks close the connection after this many content chunks (0 aborts
 * right after the stream's opening events; a non-streamed request is closed without an
 * answer), or {@link #NO_ABORT}
 */
public record Script(long inputTokens, long outputTokens, long cacheWrite5m, long cacheWrite1h, long cacheRead,
		long reasoningTokens, int webSearchRequests, int webFetchRequests, @Nullable String serviceTier,
		@Nullable String stopReason, int chunks, int usageUpdates, Duration latency, Duration chunkDelay,
		@Nullable ScriptedError error, int abortAfterChunks) {

	/** {@link #inputTokens()} value meaning "derive from the request body size". */
	public static final long DERIVED = -1;

	/** {@link #abortAfterChunks()} value meaning "do not abort". */
	public static final int NO_ABORT = -1;

	/**
	 * Bytes per token when input tokens are derived from the body, the usual rule of
	 * thumb.
	 */
	static final int BYTES_PER_TOKEN = 4;

	private static final Script DEFAULTS = new Script(DERIVED, 16, 0, 0, 0, 0, 0, 0, null, null, 4, 1, Duration.ZERO,
			Duration.ZERO, null, NO_ABORT);

	public Script {
		Objects.requireNonNull(latency, "latency");
		Objects.requireNonNull(chunkDelay, "chunkDelay");
		if (inputTokens < 0 && inputTokens != DERIVED) {
			throw new IllegalArgumentException("inputTokens must be >= 0 or DERIVED");
		}
		requireNotNegative(outputTokens, "outputTokens");
		requireNotNegative(cacheWrite5m, "cacheWrite5m");
		requireNotNegative(cacheWrite1h, "cacheWrite1h");
		requireNotNegative(cacheRead, "cacheRead");
		requireNotNegative(reasoningTokens, "reasoningTokens");
		requireNotNegative(webSearchRequests, "webSearchRequests");
		requireNotNegative(webFetchRequests, "webFetchRequests");
		if (reasoningTokens > outputTokens) {
			throw new IllegalArgumentException("reasoningTokens are part of outputTokens, so at most outputTokens");
		}
		if (chunks < 1) {
			throw new IllegalArgumentException("chunks must be at least 1");
		}
		if (usageUpdates < 1) {
			throw new IllegalArgumentException("usageUpdates must be at least 1");
		}
		if (latency.isNegative() || chunkDelay.isNegative()) {
			throw new IllegalArgumentException("delays must not be negative");
		}
		if (abortAfterChunks < NO_ABORT) {
			throw new IllegalArgumentException("abortAfterChunks must be >= 0 or NO_ABORT");
		}
	}

	private static void requireNotNegative(long value, String name) {
		if (value < 0) {
			throw new IllegalArgumentException(name + " must not be negative");
		}
	}

	/**
	 * The script used when nothing else applies: input derived from the body size, 16
	 * output tokens in 4 chunks, no caching, no delay.
	 * @return the default script
	 */
	public static Script defaults() {
		return DEFAULTS;
	}

	/**
	 * A successful answer with exact input and output tokens, everything else default.
	 * @param inputTokens uncached input tokens
	 * @param outputTokens output tokens
	 * @return the script
	 */
	public static Script tokens(long inputTokens, long outputTokens) {
		return builder().inputTokens(inputTokens).outputTokens(outputTokens).build();
	}

	/**
	 * An error answer with the provider's usual body and headers for the status.
	 * @param status the HTTP status, e.g. 429, 500 or 529
	 * @return the script
	 */
	public static Script error(int status) {
		return builder().error(ScriptedError.of(status)).build();
	}

	public static Builder builder() {
		return new Builder(DEFAULTS);
	}

	public Builder toBuilder() {
		return new Builder(this);
	}

	/** Total cache-write tokens, both TTLs. */
	long cacheWrites() {
		return this.cacheWrite5m + this.cacheWrite1h;
	}

	/** The input tokens to report for a request body of the given size. */
	long resolvedInputTokens(int bodyLength) {
		return (this.inputTokens != DERIVED) ? this.inputTokens : Math.max(1, bodyLength / BYTES_PER_TOKEN);
	}

	/** A copy with the input resolved, so that equal answers share a prebuilt body. */
	Script withResolvedInput(int bodyLength) {
		return (this.inputTokens != DERIVED) ? this : toBuilder().inputTokens(resolvedInputTokens(bodyLength)).build();
	}

	/**
	 * Builds a {@link Script}; starts from {@link Script#defaults()} or a given script.
	 */
	public static final class Builder {

		private long inputTokens;

		private long outputTokens;

		private long cacheWrite5m;

		private long cacheWrite1h;

		private long cacheRead;

		private long reasoningTokens;

		private int webSearchRequests;

		private int webFetchRequests;

		private @Nullable String serviceTier;

		private @Nullable String stopReason;

		private int chunks;

		private int usageUpdates;

		private Duration latency;

		private Duration chunkDelay;

		private @Nullable ScriptedError error;

		private int abortAfterChunks;

		private Builder(Script from) {
			this.inputTokens = from.inputTokens;
			this.outputTokens = from.outputTokens;
			this.cacheWrite5m = from.cacheWrite5m;
			this.cacheWrite1h = from.cacheWrite1h;
			this.cacheRead = from.cacheRead;
			this.reasoningTokens = from.reasoningTokens;
			this.webSearchRequests = from.webSearchRequests;
			this.webFetchRequests = from.webFetchRequests;
			this.serviceTier = from.serviceTier;
			this.stopReason = from.stopReason;
			this.chunks = from.chunks;
			this.usageUpdates = from.usageUpdates;
			this.latency = from.latency;
			this.chunkDelay = from.chunkDelay;
			this.error = from.error;
			this.abortAfterChunks = from.abortAfterChunks;
		}

		public Builder inputTokens(long inputTokens) {
			this.inputTokens = inputTokens;
			return this;
		}

		public Builder outputTokens(long outputTokens) {
			this.outputTokens = outputTokens;
			return this;
		}

		public Builder cacheWrite5m(long cacheWrite5m) {
			this.cacheWrite5m = cacheWrite5m;
			return this;
		}

		public Builder cacheWrite1h(long cacheWrite1h) {
			this.cacheWrite1h = cacheWrite1h;
			return this;
		}

		public Builder cacheRead(long cacheRead) {
			this.cacheRead = cacheRead;
			return this;
		}

		public Builder reasoningTokens(long reasoningTokens) {
			this.reasoningTokens = reasoningTokens;
			return this;
		}

		public Builder webSearchRequests(int webSearchRequests) {
			this.webSearchRequests = webSearchRequests;
			return this;
		}

		public Builder webFetchRequests(int webFetchRequests) {
			this.webFetchRequests = webFetchRequests;
			return this;
		}

		public Builder serviceTier(@Nullable String serviceTier) {
			this.serviceTier = serviceTier;
			return this;
		}

		public Builder stopReason(@Nullable String stopReason) {
			this.stopReason = stopReason;
			return this;
		}

		public Builder chunks(int chunks) {
			this.chunks = chunks;
			return this;
		}

		public Builder usageUpdates(int usageUpdates) {
			this.usageUpdates = usageUpdates;
			return this;
		}

		public Builder latency(Duration latency) {
			this.latency = latency;
			return this;
		}

		public Builder chunkDelay(Duration chunkDelay) {
			this.chunkDelay = chunkDelay;
			return this;
		}

		public Builder error(@Nullable ScriptedError error) {
			this.error = error;
			return this;
		}

		public Builder abortAfterChunks(int abortAfterChunks) {
			this.abortAfterChunks = abortAfterChunks;
			return this;
		}

		public Script build() {
			return new Script(this.inputTokens, this.outputTokens, this.cacheWrite5m, this.cacheWrite1h, this.cacheRead,
					this.reasoningTokens, this.webSearchRequests, this.webFetchRequests, this.serviceTier,
					this.stopReason, this.chunks, this.usageUpdates, this.latency, this.chunkDelay, this.error,
					this.abortAfterChunks);
		}

	}

}
