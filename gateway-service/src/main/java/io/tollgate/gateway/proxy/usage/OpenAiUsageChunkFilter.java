package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;

import io.tollgate.gateway.proxy.usage.OpenAiUsageInjection.RequestRewrite;

/**
 * The response half of the OpenAI {@code include_usage} rewrite: turns the upstream chat
 * completion stream back into the stream the client asked for. Fed the upstream SSE bytes
 * chunk by chunk; returns, for each chunk, the bytes to forward to the client.
 *
 * <p>
 * When the gateway injected {@code include_usage} ({@link #forRewrite}), the filter
 * removes what the option added: the usage-only chunk (the {@code data:} event whose JSON
 * has {@code "choices":[]} and a non-null {@code usage}) is dropped whole, and the
 * {@code "usage":null} member OpenAI adds to every other chunk is cut out with its comma.
 * All other bytes, {@code data: [DONE]} included, go out unchanged, and each complete
 * event goes out as soon as its terminating blank line arrives: at most one partial event
 * is held. Otherwise the filter is a pure pass-through: it returns the very buffer it was
 * given.
 *
 * <p>
 * Meter the upstream bytes (a {@link UsageTap}) before this filter, not after: the usage
 * chunk the filter drops is the one that carries the usage.
 */
public sealed interface OpenAiUsageChunkFilter permits PassThroughChunkFilter, StrippingChunkFilter {

	/**
	 * The filter that matches a request rewrite.
	 * @param rewrite the outcome of {@link OpenAiUsageInjection#rewriteRequest}
	 * @return a stripping filter when usage was injected, otherwise a pass-through
	 */
	static OpenAiUsageChunkFilter forRewrite(RequestRewrite rewrite) {
		return rewrite.injected() ? strippingInjectedUsage() : passThrough();
	}

	/**
	 * A filter that forwards everything as it is.
	 * @return the pass-through filter (stateless, shareable)
	 */
	static OpenAiUsageChunkFilter passThrough() {
		return PassThroughChunkFilter.INSTANCE;
	}

	/**
	 * A filter that removes the injected usage, holding events of up to
	 * {@link UsageTap#DEFAULT_MAX_SSE_EVENT_BYTES}.
	 * @return a new filter for one stream
	 */
	static OpenAiUsageChunkFilter strippingInjectedUsage() {
		return new StrippingChunkFilter(UsageTap.DEFAULT_MAX_SSE_EVENT_BYTES);
	}

	/**
	 * A filter that removes the injected usage. An event longer than
	 * {@code maxEventBytes} is not held: its bytes are forwarded unchanged as they arrive
	 * (a usage chunk is tiny, so this only ever leaves a {@code "usage":null} in one huge
	 * content chunk).
	 * @param maxEventBytes the largest partial event held back
	 * @return a new filter for one stream
	 */
	static OpenAiUsageChunkFilter strippingInjectedUsage(int maxEventBytes) {
		return new StrippingChunkFilter(maxEventBytes);
	}

	/**
	 * Filters the next upstream chunk. Reads the chunk's readable bytes without moving
	 * its position.
	 * @param chunk the upstream bytes
	 * @return the bytes to forward now: the same buffer when passing through, otherwise a
	 * new buffer (possibly empty) that the caller owns
	 */
	ByteBuffer filter(ByteBuffer chunk);

	/**
	 * Ends the stream.
	 * @return the bytes still held (a last event without its blank line), filtered
	 */
	ByteBuffer finish();

	/**
	 * Whether this filter forwards everything unchanged.
	 * @return true for the pass-through filter
	 */
	boolean passesThrough();

}
