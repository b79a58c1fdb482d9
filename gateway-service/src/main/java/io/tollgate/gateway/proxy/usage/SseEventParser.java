package io.tollgate.gateway.proxy.usage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * An incremental parser of a {@code text/event-stream} body, fed chunks that may end
 * anywhere (mid-line, mid-CRLF, mid-UTF-8 character).
 *
 * <p>
 * Algorithm (the WHATWG "event stream interpretation", byte by byte): a state machine
 * over the bytes of a line: field name up to the first colon, one optional space, then
 * the value up to CR, LF or CRLF. {@code data} values are appended to the event's data
 * buffer, joined by LF; {@code event} sets the event name; comments (lines starting with
 * a colon) and other fields ({@code id}, {@code retry}) are skipped. A blank line
 * dispatches the event if it had at least one data line. Working on bytes is safe for
 * UTF-8 because the delimiters (colon, space, CR, LF) are ASCII and never occur inside a
 * multi-byte character; the data bytes are handed over undecoded.
 *
 * <p>
 * Memory: the data buffer grows to the largest event seen, capped at
 * {@code maxEventBytes}. An event whose data would pass the cap is dropped and its
 * remaining bytes are discarded as they arrive, so a runaway event cannot grow the buffer
 * without bound. Value bytes are copied with one {@code arraycopy} per line segment, not
 * byte by byte.
 *
 * <p>
 * Not thread-safe: feed it from one thread at a time.
 */
final class SseEventParser {

	/**
	 * Receives each dispatched event. The data array is the parser's buffer: it is valid
	 * only during the call and must not be retained.
	 */
	@FunctionalInterface
	interface Listener {

		void onEvent(@Nullable String eventName, byte[] data, int offset, int length);

	}

	private static final int INITIAL_DATA_CAPACITY = 1024;

	// The longest field name that matters is "event"; longer names are unknown fields.
	private static final int MAX_FIELD_NAME_BYTES = 8;

	private static final int MAX_EVENT_NAME_BYTES = 256;

	private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] NO_BYTES = new byte[0];

	private static final byte[] LF = { '\n' };

	private enum State {

		LINE_START, FIELD_NAME, VALUE_START, VALUE, SKIP_LINE

	}

	private enum Field {

		DATA, EVENT, OTHER

	}

	private final Listener listener;

	private final int maxEventBytes;

	private State state = State.LINE_START;

	private Field field = Field.OTHER;

	private final byte[] fieldName = new byte[MAX_FIELD_NAME_BYTES];

	private int fieldNameLength;

	private boolean fieldNameTooLong;

	// A CR ended the last line: an LF right after it is the second half of a CRLF.
	private boolean afterCr;

	private byte[] data = NO_BYTES;

	private int dataLength;

	private int dataLines;

	private boolean overflowed;

	private final byte[] eventName = new byte[MAX_EVENT_NAME_BYTES];

	private int eventNameLength;

	// Event names repeat (content_block_delta, ...): reuse the last String instead of
	// allocating one per event.
	private byte @Nullable [] lastEventNameBytes;

	private @Nullable String lastEventName;

	private long skippedEvents;

	SseEventParser(Listener listener, int maxEventBytes) {
		if (maxEventBytes <= 0) {
			throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
		}
		this.listener = listener;
		this.maxEventBytes = maxEventBytes;
	}

	/**
	 * Parses the next bytes of the stream, dispatching every event they complete.
	 * @param bytes the bytes (not retained)
	 * @param offset the first byte
	 * @param length how many bytes
	 */
	void feed(byte[] bytes, int offset, int length) {
		int end = offset + length;
		int i = offset;
		while (i < end) {
			byte b = bytes[i];
			if (this.afterCr) {
				this.afterCr = false;
				if (b == '\n') {
					i++;
					continue;
				}
			}
			if (b == '\n' || b == '\r') {
				endOfLine();
				this.afterCr = (b == '\r');
				i++;
				continue;
			}
			switch (this.state) {
				case LINE_START -> {
					if (b == ':') {
						this.state = State.SKIP_LINE;
					}
					else {
						this.fieldNameLength = 0;
						this.fieldNameTooLong = false;
						appendFieldName(b);
						this.state = State.FIELD_NAME;
					}
					i++;
				}
				case FIELD_NAME -> {
					if (b == ':') {
						startValue();
						this.state = State.VALUE_START;
					}
					else {
						appendFieldName(b);
					}
					i++;
				}
				case VALUE_START -> {
					// One leading space belongs to the syntax, not the value.
					this.state = State.VALUE;
					if (b == ' ') {
						i++;
					}
				}
				case VALUE -> {
					int lineEnd = lineEnd(bytes, i, end);
					appendValue(bytes, i, lineEnd - i);
					i = lineEnd;
				}
				case SKIP_LINE -> i = lineEnd(bytes, i, end);
			}
		}
	}

	/**
	 * Ends the stream: a last line without a line break still counts, and a last event
	 * without its blank line is still dispatched. The specification would drop it; a
	 * meter should not, because the provider billed whatever that event reports.
	 */
	void finish() {
		if (this.state != State.LINE_START) {
			endOfLine();
		}
		if (this.dataLines > 0) {
			dispatch();
		}
		this.afterCr = false;
	}

	/**
	 * How many events were dropped for passing the size cap.
	 * @return the count
	 */
	long skippedEvents() {
		return this.skippedEvents;
	}

	private static int lineEnd(byte[] bytes, int from, int end) {
		int i = from;
		while (i < end && bytes[i] != '\n' && bytes[i] != '\r') {
			i++;
		}
		return i;
	}

	private void endOfLine() {
		switch (this.state) {
			case LINE_START -> dispatch();
			// A field name without a colon is a field with an empty value.
			case FIELD_NAME -> startValue();
			default -> {
			}
		}
		this.state = State.LINE_START;
	}

	private void appendFieldName(byte b) {
		if (this.fieldNameLength < MAX_FIELD_NAME_BYTES) {
			this.fieldName[this.fieldNameLength++] = b;
		}
		else {
			this.fieldNameTooLong = true;
		}
	}

	private void startValue() {
		this.field = resolveField();
		if (this.field == Field.DATA) {
			if (this.dataLines > 0) {
				appendData(LF, 0, 1);
			}
			this.dataLines++;
		}
		else if (this.field == Field.EVENT) {
			this.eventNameLength = 0;
		}
	}

	private Field resolveField() {
		if (this.fieldNameTooLong) {
			return Field.OTHER;
		}
		if (Arrays.equals(this.fieldName, 0, this.fieldNameLength, DATA, 0, DATA.length)) {
			return Field.DATA;
		}
		if (Arrays.equals(this.fieldName, 0, this.fieldNameLength, EVENT, 0, EVENT.length)) {
			return Field.EVENT;
		}
		return Field.OTHER;
	}

	private void appendValue(byte[] bytes, int offset, int length) {
		if (this.field == Field.DATA) {
			appendData(bytes, offset, length);
		}
		else if (this.field == Field.EVENT) {
			// An absurdly long name is truncated; it cannot match a name we need.
			int n = Math.min(length, MAX_EVENT_NAME_BYTES - this.eventNameLength);
			System.arraycopy(bytes, offset, this.eventName, this.eventNameLength, n);
			this.eventNameLength += n;
		}
	}

	private void appendData(byte[] bytes, int offset, int length) {
		if (this.overflowed) {
			return;
		}
		int needed = this.dataLength + length;
		if (needed > this.maxEventBytes) {
			// Past the cap: drop this event and let go of the big buffer.
			this.overflowed = true;
			this.dataLength = 0;
			this.data = NO_BYTES;
			return;
		}
		if (needed > this.data.length) {
			int grown = Math.max(INITIAL_DATA_CAPACITY, this.data.length * 2);
			this.data = Arrays.copyOf(this.data, Math.min(this.maxEventBytes, Math.max(needed, grown)));
		}
		System.arraycopy(bytes, offset, this.data, this.dataLength, length);
		this.dataLength = needed;
	}

	private void dispatch() {
		if (this.dataLines > 0) {
			if (this.overflowed) {
				this.skippedEvents++;
			}
			else {
				this.listener.onEvent(eventName(), this.data, 0, this.dataLength);
			}
		}
		this.dataLength = 0;
		this.dataLines = 0;
		this.overflowed = false;
		this.eventNameLength = 0;
	}

	private @Nullable String eventName() {
		if (this.eventNameLength == 0) {
			return null;
		}
		byte[] last = this.lastEventNameBytes;
		if (last != null && Arrays.equals(last, 0, last.length, this.eventName, 0, this.eventNameLength)) {
			return this.lastEventName;
		}
		byte[] bytes = Arrays.copyOf(this.eventName, this.eventNameLength);
		String name = new String(bytes, StandardCharsets.UTF_8);
		this.lastEventNameBytes = bytes;
		this.lastEventName = name;
		return name;
	}

}
