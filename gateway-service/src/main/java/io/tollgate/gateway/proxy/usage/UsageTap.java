package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Extracts one proxied call's token usage from the upstream response body as it streams
 * past. One instance per call: feed it every body chunk in order ({@link #accept}), then
 * {@link #complete()}; {@link #usage()} may be read at any time, also from another
 * thread, and returns what was seen so far, so that a call the client aborts mid-stream
 * is still metered with the usage the provider had reported before the abort.
 *
 * <p>
 * Algorithm:
 * <ul>
 * <li>Streams ({@code text/event-stream}): an incremental {@link SseEventParser} cuts the
 * bytes into events; events whose name cannot carry usage are dropped unparsed; the data
 * of the others is read with a pruned Jackson parse ({@link PrunedJson}) and merged by
 * the format's {@link UsageExtractor}, which knows which counts are cumulative (take the
 * last) and how to normalise them. After each event that changed anything a new immutable
 * {@link ExtractedUsage} is published through a volatile field. Memory is bounded by the
 * largest event, capped at {@code maxSseEventBytes}; a larger event is skipped.</li>
 * <li>Non-streamed JSON: the bytes are accumulated and parsed once on
 * {@link #complete()}. Past {@code maxJsonBodyBytes} the tap gives up (the buffer is
 * released and usage stays unseen) rather than grow without bound.</li>
 * <li>A body the proxy expected as a stream but which starts with a brace or a bracket is
 * JSON: an upstream error answers a streamed request that way, and Gemini's {@code
 * streamGenerateContent} without {@code alt=sse} streams a JSON array (its last {@code
 * usageMetadata} counts).</li>
 * </ul>
 *
 * <p>
 * The tap expects the body as the client receives it after content decoding (no gzip). It
 * never throws on malformed upstream data: what does not parse carries no usage.
 * {@link #accept} and {@link #complete} must be called serially (as Reactor delivers
 * signals).
 */
public final class UsageTap {

	/** Default cap of a non-streamed body kept for parsing. */
	public static final int DEFAULT_MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

	/** Default cap of one SSE event's data. */
	public static final int DEFAULT_MAX_SSE_EVENT_BYTES = 8 * 1024 * 1024;

	private static final int INITIAL_BODY_CAPACITY = 8 * 1024;

	private static final byte[] NO_BYTES = new byte[0];

	/**
	 * The provider API formats whose usage the tap understands.
	 */
	public enum Format {

		/** Anthropic {@code POST /v1/messages}. */
		ANTHROPIC_MESSAGES,

		/** OpenAI {@code POST /v1/chat/completions}. */
		OPENAI_CHAT,

		/** OpenAI {@code POST /v1/responses}. */
		OPENAI_RESPONSES,

		/** Gemini {@code :generateContent} and {@code :streamGenerateContent}. */
		GEMINI_GENERATE

	}

	private enum Mode {

		/** Expecting a stream; waiting for the first significant byte to confirm it. */
		SNIFFING,

		SSE,

		JSON,

		/** Non-streamed body over the cap: extraction abandoned. */
		GAVE_UP,

		COMPLETE

	}

	private final UsageExtractor extractor;

	private final int maxJsonBodyBytes;

	private final int maxSseEventBytes;

	private final ByteChunks chunks = new ByteChunks();

	private Mode mode;

	private @Nullable SseEventParser sse;

	private byte[] body = NO_BYTES;

	private int bodyLength;

	private volatile ExtractedUsage current = ExtractedUsage.none();

	private UsageTap(UsageExtractor extractor, boolean streaming, int maxJsonBodyBytes, int maxSseEventBytes) {
		if (maxJsonBodyBytes <= 0 || maxSseEventBytes <= 0) {
			throw new IllegalArgumentException("caps must be positive");
		}
		this.extractor = extractor;
		this.maxJsonBodyBytes = maxJsonBodyBytes;
		this.maxSseEventBytes = maxSseEventBytes;
		this.mode = streaming ? Mode.SNIFFING : Mode.JSON;
	}

	/**
	 * A tap with the default caps.
	 * @param format the provider API format called
	 * @param streaming whether the response is expected as a stream (the request asked
	 * for one: {@code "stream":true}, or {@code :streamGenerateContent})
	 * @return a new tap for one call
	 */
	public static UsageTap forFormat(Format format, boolean streaming) {
		return forFormat(format, streaming, DEFAULT_MAX_JSON_BODY_BYTES, DEFAULT_MAX_SSE_EVENT_BYTES);
	}

	/**
	 * A tap with explicit memory caps.
	 * @param format the provider API format called
	 * @param streaming whether the response is expected as a stream
	 * @param maxJsonBodyBytes the largest non-streamed body kept for parsing
	 * @param maxSseEventBytes the largest single SSE event parsed
	 * @return a new tap for one call
	 */
	public static UsageTap forFormat(Format format, boolean streaming, int maxJsonBodyBytes, int maxSseEventBytes) {
		UsageExtractor extractor = switch (format) {
			case ANTHROPIC_MESSAGES -> new AnthropicUsageExtractor();
			case OPENAI_CHAT -> new OpenAiChatUsageExtractor();
			case OPENAI_RESPONSES -> new OpenAiResponsesUsageExtractor();
			case GEMINI_GENERATE -> new GeminiUsageExtractor();
		};
		return new UsageTap(extractor, streaming, maxJsonBodyBytes, maxSseEventBytes);
	}

	/**
	 * Takes in the next body chunk: its readable bytes, without moving its position and
	 * without keeping a reference to it.
	 * @param chunk the chunk
	 */
	public void accept(ByteBuffer chunk) {
		if (this.mode != Mode.COMPLETE && this.mode != Mode.GAVE_UP) {
			this.chunks.forEach(chunk, this::accept);
		}
	}

	/**
	 * Takes in the next body chunk. The array is not kept.
	 * @param bytes the bytes
	 * @param offset the first byte of the chunk
	 * @param length the chunk's length
	 */
	public void accept(byte[] bytes, int offset, int length) {
		int start = offset;
		int end = offset + length;
		if (this.mode == Mode.SNIFFING) {
			start = skipLeadingInsignificant(bytes, start, end);
			if (start == end) {
				return;
			}
			this.mode = (bytes[start] == '{' || bytes[start] == '[') ? Mode.JSON : Mode.SSE;
		}
		switch (this.mode) {
			case SSE -> sseParser().feed(bytes, start, end - start);
			case JSON -> appendBody(bytes, start, end - start);
			default -> {
				// Complete or given up: nothing more to learn.
			}
		}
	}

	/**
	 * Ends the body: parses a non-streamed body, and counts a last event that lacked its
	 * terminating blank line. Idempotent; later chunks are ignored.
	 */
	public void complete() {
		switch (this.mode) {
			case SSE -> sseParser().finish();
			case JSON -> {
				JsonNode parsed = PrunedJson.read(this.body, 0, this.bodyLength, this.extractor.bodyPick());
				if (parsed != null && this.extractor.onBody(parsed)) {
					publish();
				}
			}
			default -> {
			}
		}
		this.body = NO_BYTES;
		this.bodyLength = 0;
		this.mode = Mode.COMPLETE;
	}

	/**
	 * The usage seen so far. Safe to call from any thread at any time.
	 * @return the usage, {@link ExtractedUsage#none()}-like until the provider reported
	 * some
	 */
	public ExtractedUsage usage() {
		return this.current;
	}

	private SseEventParser sseParser() {
		SseEventParser parser = this.sse;
		if (parser == null) {
			parser = new SseEventParser(this::onEvent, this.maxSseEventBytes);
			this.sse = parser;
		}
		return parser;
	}

	private void onEvent(@Nullable String eventName, byte[] data, int offset, int length) {
		if (!this.extractor.wantsEvent(eventName)) {
			return;
		}
		// Only a JSON object can carry usage; this also passes over "[DONE]" without
		// the cost of a parse failure.
		int start = skipLeadingInsignificant(data, offset, offset + length);
		if (start == offset + length || data[start] != '{'
				|| !this.extractor.worthParsing(data, start, offset + length - start)) {
			return;
		}
		JsonNode event = PrunedJson.read(data, start, offset + length - start, this.extractor.eventPick());
		if (event != null && this.extractor.onEvent(event)) {
			publish();
		}
	}

	private void appendBody(byte[] bytes, int offset, int length) {
		int needed = this.bodyLength + length;
		if (needed > this.maxJsonBodyBytes) {
			this.mode = Mode.GAVE_UP;
			this.body = NO_BYTES;
			this.bodyLength = 0;
			return;
		}
		if (needed > this.body.length) {
			int grown = Math.max(INITIAL_BODY_CAPACITY, this.body.length * 2);
			this.body = Arrays.copyOf(this.body, Math.min(this.maxJsonBodyBytes, Math.max(needed, grown)));
		}
		System.arraycopy(bytes, offset, this.body, this.bodyLength, length);
		this.bodyLength = needed;
	}

	private void publish() {
		this.current = this.extractor.snapshot();
	}

	// Whitespace and a UTF-8 byte order mark carry no meaning before a JSON value or
	// the first SSE line.
	private static int skipLeadingInsignificant(byte[] bytes, int from, int end) {
		int i = from;
		while (i < end) {
			byte b = bytes[i];
			if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == (byte) 0xEF || b == (byte) 0xBB
					|| b == (byte) 0xBF) {
				i++;
			}
			else {
				break;
			}
		}
		return i;
	}

	@Override
	public String toString() {
		return "UsageTap[" + this.extractor.getClass().getSimpleName() + ", " + this.mode + ", " + this.current + "]";
	}

}
