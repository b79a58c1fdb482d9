package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.tollgate.gateway.proxy.usage.JsonSpans.MalformedJsonException;
import io.tollgate.gateway.proxy.usage.JsonSpans.Member;
import io.tollgate.gateway.proxy.usage.JsonSpans.ObjectSpan;

/**
 * Removes the usage that the gateway's {@code include_usage} injection added to an OpenAI
 * chat completion stream.
 *
 * <p>
 * Algorithm: the raw bytes are framed into SSE events by tracking line ends (LF, CR or
 * CRLF); a blank line ends an event. The bytes of the event in progress are held (only
 * those: at most one partial event); when its blank line arrives the event, terminator
 * included, is rewritten and appended to the output of the current call. The rewrite
 * looks at the event's single {@code data:} line: a JSON object with a non-null object
 * {@code usage} and {@code "choices":[]} is the injected usage chunk and is dropped
 * whole; a top-level {@code "usage":null} member is cut out together with the comma that
 * separates it from its neighbour (the byte ranges come from {@link JsonSpans}, so
 * nothing else moves). Anything else, {@code [DONE]}, comments and events that do not
 * parse, goes out byte for byte.
 *
 * <p>
 * A CRLF blank line is forwarded when its CR arrives, so as not to wait for the next
 * chunk; the LF that follows is then forwarded on its own.
 */
final class StrippingChunkFilter implements OpenAiUsageChunkFilter {

	private static final byte[] DATA_PREFIX = "data:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] NO_BYTES = new byte[0];

	// Buffers grown past this by one big event are released rather than kept for the
	// rest of the stream.
	private static final int RETAINED_BUFFER_BYTES = 64 * 1024;

	private final int maxEventBytes;

	private final ByteChunks chunks = new ByteChunks();

	private byte[] pending = NO_BYTES;

	private int pendingLength;

	private boolean lineEmpty = true;

	private boolean afterCr;

	private boolean crEndedEvent;

	// The last complete event was the usage chunk: its bytes, and the LF of a CRLF that
	// ended it, are not forwarded.
	private boolean lastEventDropped;

	// The current event outgrew the cap: its bytes go out unchanged as they arrive.
	private boolean oversized;

	private byte[] out = NO_BYTES;

	private int outLength;

	StrippingChunkFilter(int maxEventBytes) {
		if (maxEventBytes <= 0) {
			throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
		}
		this.maxEventBytes = maxEventBytes;
	}

	@Override
	public ByteBuffer filter(ByteBuffer chunk) {
		this.chunks.forEach(chunk, this::scan);
		return drain();
	}

	@Override
	public ByteBuffer finish() {
		if (this.pendingLength > 0) {
			rewriteEvent(this.pending, 0, this.pendingLength);
		}
		this.pending = NO_BYTES;
		this.pendingLength = 0;
		this.oversized = false;
		return drain();
	}

	@Override
	public boolean passesThrough() {
		return false;
	}

	private void scan(byte[] bytes, int offset, int length) {
		int end = offset + length;
		int segmentStart = offset;
		for (int i = offset; i < end; i++) {
			byte b = bytes[i];
			if (this.afterCr) {
				this.afterCr = false;
				if (b == '\n') {
					if (this.crEndedEvent) {
						// Second half of the CRLF blank line that ended the event
						// already handled: it goes where that event went.
						this.crEndedEvent = false;
						if (!this.lastEventDropped) {
							write(bytes, i, 1);
						}
						segmentStart = i + 1;
					}
					continue;
				}
				this.crEndedEvent = false;
			}
			if (b == '\n' || b == '\r') {
				if (this.lineEmpty) {
					endEvent(bytes, segmentStart, i + 1);
					segmentStart = i + 1;
					this.crEndedEvent = (b == '\r');
				}
				this.lineEmpty = true;
				this.afterCr = (b == '\r');
			}
			else {
				this.lineEmpty = false;
			}
		}
		hold(bytes, segmentStart, end);
	}

	private void endEvent(byte[] bytes, int from, int to) {
		this.lastEventDropped = false;
		if (this.oversized) {
			write(bytes, from, to - from);
			this.oversized = false;
		}
		else if (this.pendingLength == 0) {
			// The whole event is in this chunk: rewrite it in place, no copy.
			rewriteEvent(bytes, from, to);
		}
		else {
			appendPending(bytes, from, to - from);
			rewriteEvent(this.pending, 0, this.pendingLength);
			this.pendingLength = 0;
			if (this.pending.length > RETAINED_BUFFER_BYTES) {
				this.pending = NO_BYTES;
			}
		}
	}

	private void hold(byte[] bytes, int from, int to) {
		int length = to - from;
		if (length == 0) {
			return;
		}
		if (this.oversized) {
			write(bytes, from, length);
		}
		else if (this.pendingLength + length > this.maxEventBytes) {
			write(this.pending, 0, this.pendingLength);
			write(bytes, from, length);
			this.pending = NO_BYTES;
			this.pendingLength = 0;
			this.oversized = true;
		}
		else {
			appendPending(bytes, from, length);
		}
	}

	private void rewriteEvent(byte[] event, int from, int to) {
		int dataLines = 0;
		int valueStart = -1;
		int valueEnd = -1;
		int i = from;
		while (i < to) {
			int lineEnd = i;
			while (lineEnd < to && event[lineEnd] != '\n' && event[lineEnd] != '\r') {
				lineEnd++;
			}
			if (lineEnd - i >= DATA_PREFIX.length
					&& Arrays.equals(event, i, i + DATA_PREFIX.length, DATA_PREFIX, 0, DATA_PREFIX.length)) {
				dataLines++;
				valueStart = i + DATA_PREFIX.length;
				if (valueStart < lineEnd && event[valueStart] == ' ') {
					valueStart++;
				}
				valueEnd = lineEnd;
			}
			i = lineEnd;
			if (i < to && event[i] == '\r') {
				i++;
			}
			if (i < to && event[i] == '\n') {
				i++;
			}
		}
		if (dataLines == 1) {
			rewriteChunk(event, from, to, valueStart, valueEnd);
		}
		else {
			// No data (a comment, a blank line) or data split over several lines, which
			// OpenAI never sends: forward as is.
			write(event, from, to - from);
		}
	}

	private void rewriteChunk(byte[] event, int from, int to, int valueStart, int valueEnd) {
		int start = JsonSpans.skipWhitespace(event, valueStart, valueEnd);
		if (start == valueEnd || event[start] != '{') {
			write(event, from, to - from);
			return;
		}
		ObjectSpan chunk;
		try {
			chunk = JsonSpans.object(event, start, valueEnd);
		}
		catch (MalformedJsonException ex) {
			write(event, from, to - from);
			return;
		}
		List<Member> members = chunk.members();
		int usageIndex = chunk.lastIndexOf(event, "usage");
		if (usageIndex < 0) {
			write(event, from, to - from);
			return;
		}
		Member usage = members.get(usageIndex);
		if (event[usage.valueStart()] == '{') {
			Member choices = chunk.last(event, "choices");
			if (choices == null || !JsonSpans.isEmptyArray(event, choices.valueStart(), choices.valueEnd())) {
				write(event, from, to - from);
			}
			else {
				// The usage-only chunk the client never asked for.
				this.lastEventDropped = true;
			}
			return;
		}
		if (!JsonSpans.isLiteral(event, usage.valueStart(), usage.valueEnd(), "null")) {
			write(event, from, to - from);
			return;
		}
		int cutFrom;
		int cutTo;
		if (usageIndex > 0) {
			// ,"usage":null — from the end of the previous value.
			cutFrom = members.get(usageIndex - 1).valueEnd();
			cutTo = usage.valueEnd();
		}
		else if (members.size() > 1) {
			// "usage":null, — up to the next key.
			cutFrom = usage.keyStart();
			cutTo = members.get(1).keyStart();
		}
		else {
			cutFrom = usage.keyStart();
			cutTo = usage.valueEnd();
		}
		write(event, from, cutFrom - from);
		write(event, cutTo, to - cutTo);
	}

	private void appendPending(byte[] bytes, int offset, int length) {
		this.pending = ensureCapacity(this.pending, this.pendingLength + length);
		System.arraycopy(bytes, offset, this.pending, this.pendingLength, length);
		this.pendingLength += length;
	}

	private void write(byte[] bytes, int offset, int length) {
		if (length == 0) {
			return;
		}
		this.out = ensureCapacity(this.out, this.outLength + length);
		System.arraycopy(bytes, offset, this.out, this.outLength, length);
		this.outLength += length;
	}

	private ByteBuffer drain() {
		if (this.outLength == 0) {
			return ByteBuffer.allocate(0);
		}
		// A fresh array: the caller may keep the result while we reuse ours.
		ByteBuffer result = ByteBuffer.wrap(Arrays.copyOf(this.out, this.outLength));
		this.outLength = 0;
		if (this.out.length > RETAINED_BUFFER_BYTES) {
			this.out = NO_BYTES;
		}
		return result;
	}

	private static byte[] ensureCapacity(byte[] buffer, int needed) {
		if (needed <= buffer.length) {
			return buffer;
		}
		return Arrays.copyOf(buffer, Math.max(needed, Math.max(1024, buffer.length * 2)));
	}

}
