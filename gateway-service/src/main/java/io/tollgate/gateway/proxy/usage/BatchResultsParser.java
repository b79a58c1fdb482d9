package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

import io.tollgate.gateway.proxy.usage.PrunedJson.Pick;
import tools.jackson.databind.JsonNode;

import static io.tollgate.gateway.proxy.usage.PrunedJson.ALL;
import static io.tollgate.gateway.proxy.usage.PrunedJson.fields;
import static io.tollgate.gateway.proxy.usage.PrunedJson.object;
import static io.tollgate.gateway.proxy.usage.PrunedJson.text;

/**
 * Meters the results of an Anthropic Message Batch: the JSONL body of {@code GET
 * /v1/messages/batches/{id}/results}, fed chunk by chunk as it is proxied.
 *
 * <p>
 * Algorithm: lines are cut at LF (a CR before it is ignored). A line wholly inside one
 * chunk is parsed straight from the chunk's bytes; only a line that spans chunks is
 * copied into a buffer, which is capped at {@code maxLineBytes}: a longer line is skipped
 * (and counted in {@link #skippedLines()}), so memory is bounded per line however large
 * the whole body is. Each line is read pruned ({@code custom_id}, {@code result.type} and
 * the message's model, stop reason and usage; the content is skipped). A
 * {@code succeeded} result emits a {@link BatchResultUsage} with the message's usage
 * normalised as for a non-streamed message; {@code errored}, {@code canceled} and
 * {@code expired} results are not billed and emit nothing.
 *
 * <p>
 * Reading the same results twice emits the same usages; {@link #eventIdFor} gives each a
 * deterministic event id so that downstream deduplication counts it once.
 */
public final class BatchResultsParser {

	/** Default cap of one result line. */
	public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

	// Fixed forever: changing it changes every batch event id and breaks deduplication.
	// = UUIDv5(NAMESPACE_URL, "urn:tollgate:anthropic-batch-result").
	private static final UUID EVENT_ID_NAMESPACE = UUID.fromString("473ceb7b-64ee-5a4a-a5db-923251e9f487");

	private static final Pick LINE = fields(Map.of("custom_id", ALL, "result",
			fields(Map.of("type", ALL, "message", AnthropicUsageExtractor.messagePick()))));

	private static final byte[] NO_BYTES = new byte[0];

	private final Consumer<BatchResultUsage> sink;

	private final int maxLineBytes;

	private final ByteChunks chunks = new ByteChunks();

	private byte[] line = NO_BYTES;

	private int lineLength;

	private boolean lineTooLong;

	private long skippedLines;

	/**
	 * A parser with the default line cap.
	 * @param sink receives each succeeded result's usage, in body order
	 */
	public BatchResultsParser(Consumer<BatchResultUsage> sink) {
		this(sink, DEFAULT_MAX_LINE_BYTES);
	}

	/**
	 * A parser.
	 * @param sink receives each succeeded result's usage, in body order
	 * @param maxLineBytes the longest line parsed; longer ones are skipped
	 */
	public BatchResultsParser(Consumer<BatchResultUsage> sink, int maxLineBytes) {
		if (maxLineBytes <= 0) {
			throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
		}
		this.sink = Objects.requireNonNull(sink, "sink");
		this.maxLineBytes = maxLineBytes;
	}

	/**
	 * Takes in the next body chunk: its readable bytes, without moving its position and
	 * without keeping a reference to it.
	 * @param chunk the chunk
	 */
	public void accept(ByteBuffer chunk) {
		this.chunks.forEach(chunk, this::accept);
	}

	/**
	 * Takes in the next body chunk. The array is not kept.
	 * @param bytes the bytes
	 * @param offset the first byte
	 * @param length how many bytes
	 */
	public void accept(byte[] bytes, int offset, int length) {
		int end = offset + length;
		int lineStart = offset;
		for (int i = offset; i < end; i++) {
			if (bytes[i] != '\n') {
				continue;
			}
			if (this.lineLength == 0 && !this.lineTooLong) {
				parseLine(bytes, lineStart, i);
			}
			else {
				appendLine(bytes, lineStart, i - lineStart);
				if (!this.lineTooLong) {
					parseLine(this.line, 0, this.lineLength);
				}
				else {
					this.skippedLines++;
				}
				resetLine();
			}
			lineStart = i + 1;
		}
		appendLine(bytes, lineStart, end - lineStart);
	}

	/**
	 * Ends the body: a last line without a line break is still parsed.
	 */
	public void complete() {
		if (this.lineTooLong) {
			this.skippedLines++;
		}
		else if (this.lineLength > 0) {
			parseLine(this.line, 0, this.lineLength);
		}
		resetLine();
	}

	/**
	 * How many non-blank lines could not be metered: over the cap or not a well-formed
	 * result.
	 * @return the count
	 */
	public long skippedLines() {
		return this.skippedLines;
	}

	/**
	 * The usage event id of one batch result: the same for the same result however often
	 * the results are read, and distinct across results and batches. A name-based UUID
	 * version 5 (SHA-1, RFC 9562 section 5.5) in a fixed Tollgate namespace, of the UTF-8
	 * name {@code batchId + "/" + customId}. Anthropic batch ids never contain {@code /},
	 * which keeps the name unambiguous.
	 * @param batchId the Message Batch id ({@code msgbatch_...})
	 * @param customId the result's {@code custom_id}
	 * @return the event id, as a lower-case UUID string
	 * @throws IllegalArgumentException if the batch id is empty or contains {@code /}
	 */
	public static String eventIdFor(String batchId, String customId) {
		if (batchId.isEmpty() || batchId.indexOf('/') >= 0) {
			throw new IllegalArgumentException("not a Message Batch id: " + batchId);
		}
		return uuidV5(EVENT_ID_NAMESPACE, batchId + "/" + customId).toString();
	}

	static UUID uuidV5(UUID namespace, String name) {
		MessageDigest sha1;
		try {
			sha1 = MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform provides SHA-1", ex);
		}
		sha1.update(toBytes(namespace));
		byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
		hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
		hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
		long msb = 0;
		long lsb = 0;
		for (int i = 0; i < 8; i++) {
			msb = (msb << 8) | (hash[i] & 0xff);
			lsb = (lsb << 8) | (hash[i + 8] & 0xff);
		}
		return new UUID(msb, lsb);
	}

	private static byte[] toBytes(UUID uuid) {
		return ByteBuffer.allocate(16)
			.putLong(uuid.getMostSignificantBits())
			.putLong(uuid.getLeastSignificantBits())
			.array();
	}

	private void parseLine(byte[] bytes, int from, int to) {
		int end = to;
		while (end > from && isWhitespace(bytes[end - 1])) {
			end--;
		}
		int start = from;
		while (start < end && isWhitespace(bytes[start])) {
			start++;
		}
		if (start == end) {
			return;
		}
		JsonNode result = PrunedJson.read(bytes, start, end - start, LINE);
		String customId = text(result, "custom_id");
		JsonNode outcome = object(result, "result");
		if (customId == null || outcome == null) {
			this.skippedLines++;
			return;
		}
		JsonNode message = object(outcome, "message");
		if (!"succeeded".equals(text(outcome, "type")) || message == null) {
			// errored, canceled, expired: nothing was billed.
			return;
		}
		ExtractedUsage usage = AnthropicUsageExtractor.fromMessage(message);
		if (usage.serviceTier() == null) {
			// Every batch result is billed at the batch tier, said or not.
			usage = new ExtractedUsage(usage.model(), usage.inputTokens(), usage.outputTokens(),
					usage.cacheWrite5mTokens(), usage.cacheWrite1hTokens(), usage.cacheReadTokens(),
					usage.reasoningTokens(), usage.serverToolUses(), usage.stopReason(), "batch", usage.usageSeen());
		}
		this.sink.accept(new BatchResultUsage(customId, usage));
	}

	private void appendLine(byte[] bytes, int offset, int length) {
		if (length == 0 || this.lineTooLong) {
			return;
		}
		int needed = this.lineLength + length;
		if (needed > this.maxLineBytes) {
			this.lineTooLong = true;
			this.line = NO_BYTES;
			this.lineLength = 0;
			return;
		}
		if (needed > this.line.length) {
			int grown = Math.max(8 * 1024, this.line.length * 2);
			this.line = Arrays.copyOf(this.line, Math.min(this.maxLineBytes, Math.max(needed, grown)));
		}
		System.arraycopy(bytes, offset, this.line, this.lineLength, length);
		this.lineLength = needed;
	}

	private void resetLine() {
		this.lineLength = 0;
		this.lineTooLong = false;
	}

	private static boolean isWhitespace(byte b) {
		return b == ' ' || b == '\t' || b == '\r' || b == '\n';
	}

}
