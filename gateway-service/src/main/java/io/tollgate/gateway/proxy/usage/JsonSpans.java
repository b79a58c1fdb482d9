package io.tollgate.gateway.proxy.usage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Locates the members of a JSON object as byte ranges, so that a document can be edited
 * in place (one member added, replaced or removed) while every other byte stays as it
 * was. A parse-and-reserialise round trip would reorder, reformat and renumber the
 * client's or the provider's JSON; this does not.
 *
 * <p>
 * Algorithm: a hand-written scanner over UTF-8 bytes. It walks the object's members; for
 * each it records where the key and the value start and end, skipping nested values by
 * counting brackets outside strings (strings are skipped honouring backslash escapes). It
 * checks structure (quotes, colons, commas, brackets) but not the grammar of numbers and
 * literals: callers only edit documents the provider will validate anyway.
 */
final class JsonSpans {

	private static final JsonFactory FACTORY = new JsonFactory();

	private JsonSpans() {
	}

	/**
	 * One object member.
	 *
	 * @param keyStart the key's opening quote
	 * @param keyEnd just after the key's closing quote
	 * @param valueStart the value's first byte
	 * @param valueEnd just after the value's last byte
	 */
	record Member(int keyStart, int keyEnd, int valueStart, int valueEnd) {
	}

	/**
	 * An object.
	 *
	 * @param open the opening brace
	 * @param close the closing brace
	 * @param members its members in document order
	 */
	record ObjectSpan(int open, int close, List<Member> members) {

		/**
		 * The last member with the given key: with duplicate keys, the one that counts
		 * for last-wins readers (OpenAI's among them).
		 * @param json the document
		 * @param key the key (ASCII)
		 * @return the index in {@link #members()}, or -1
		 */
		int lastIndexOf(byte[] json, String key) {
			byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
			for (int i = this.members.size() - 1; i >= 0; i--) {
				if (keyEquals(json, this.members.get(i), keyBytes)) {
					return i;
				}
			}
			return -1;
		}

		@Nullable Member last(byte[] json, String key) {
			int index = lastIndexOf(json, key);
			return (index >= 0) ? this.members.get(index) : null;
		}

	}

	/**
	 * Thrown for bytes that are not a well-formed object. Without a stack trace:
	 * malformed input is an expected outcome here, not a bug.
	 */
	static final class MalformedJsonException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		MalformedJsonException(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * Scans the object that starts at {@code start} (after optional whitespace).
	 * @param json the document
	 * @param start where to start
	 * @param end the end of the region to scan (exclusive)
	 * @return the object's span
	 * @throws MalformedJsonException if the bytes there are not an object
	 */
	static ObjectSpan object(byte[] json, int start, int end) {
		int i = skipWhitespace(json, start, end);
		expect(json, i, end, '{');
		int open = i;
		List<Member> members = new ArrayList<>();
		i = skipWhitespace(json, i + 1, end);
		if (i < end && json[i] == '}') {
			return new ObjectSpan(open, i, members);
		}
		while (true) {
			expect(json, i, end, '"');
			int keyStart = i;
			int keyEnd = skipString(json, i, end);
			i = skipWhitespace(json, keyEnd, end);
			expect(json, i, end, ':');
			int valueStart = skipWhitespace(json, i + 1, end);
			int valueEnd = skipValue(json, valueStart, end);
			members.add(new Member(keyStart, keyEnd, valueStart, valueEnd));
			i = skipWhitespace(json, valueEnd, end);
			if (i < end && json[i] == ',') {
				i = skipWhitespace(json, i + 1, end);
				continue;
			}
			expect(json, i, end, '}');
			return new ObjectSpan(open, i, members);
		}
	}

	static int skipWhitespace(byte[] json, int from, int end) {
		int i = from;
		while (i < end && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
			i++;
		}
		return i;
	}

	/**
	 * Skips one value.
	 * @param json the document
	 * @param start the value's first byte
	 * @param end the end of the region
	 * @return just after the value
	 */
	static int skipValue(byte[] json, int start, int end) {
		if (start >= end) {
			throw new MalformedJsonException("value expected at " + start);
		}
		byte first = json[start];
		if (first == '"') {
			return skipString(json, start, end);
		}
		if (first == '{' || first == '[') {
			int depth = 0;
			int i = start;
			while (i < end) {
				byte b = json[i];
				if (b == '"') {
					i = skipString(json, i, end);
					continue;
				}
				if (b == '{' || b == '[') {
					depth++;
				}
				else if (b == '}' || b == ']') {
					depth--;
					if (depth == 0) {
						return i + 1;
					}
				}
				i++;
			}
			throw new MalformedJsonException("unterminated container at " + start);
		}
		// A number or a literal: runs to the next delimiter.
		int i = start;
		while (i < end) {
			byte b = json[i];
			if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\n' || b == '\r') {
				break;
			}
			i++;
		}
		if (i == start) {
			throw new MalformedJsonException("value expected at " + start);
		}
		return i;
	}

	/**
	 * Skips a string.
	 * @param json the document
	 * @param start the opening quote
	 * @param end the end of the region
	 * @return just after the closing quote
	 */
	static int skipString(byte[] json, int start, int end) {
		int i = start + 1;
		while (i < end) {
			byte b = json[i];
			if (b == '\\') {
				i += 2;
				continue;
			}
			if (b == '"') {
				return i + 1;
			}
			i++;
		}
		throw new MalformedJsonException("unterminated string at " + start);
	}

	static boolean isLiteral(byte[] json, int start, int end, String literal) {
		int length = literal.length();
		if (end - start != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (json[start + i] != literal.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	static boolean isEmptyArray(byte[] json, int start, int end) {
		if (end - start < 2 || json[start] != '[' || json[end - 1] != ']') {
			return false;
		}
		return skipWhitespace(json, start + 1, end - 1) == end - 1;
	}

	static boolean keyEquals(byte[] json, Member member, byte[] key) {
		int from = member.keyStart() + 1;
		int to = member.keyEnd() - 1;
		boolean escaped = false;
		for (int i = from; i < to; i++) {
			if (json[i] == '\\') {
				escaped = true;
				break;
			}
		}
		if (!escaped) {
			return Arrays.equals(json, from, to, key, 0, key.length);
		}
		// Rare: a key written with escapes ("str\u0065am") still names the same member.
		return new String(key, StandardCharsets.US_ASCII)
			.equals(decodeString(json, member.keyStart(), member.keyEnd()));
	}

	private static @Nullable String decodeString(byte[] json, int start, int end) {
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json, start, end - start)) {
			return (parser.nextToken() == JsonToken.VALUE_STRING) ? parser.getString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static void expect(byte[] json, int i, int end, char expected) {
		if (i >= end || json[i] != expected) {
			throw new MalformedJsonException("'" + expected + "' expected at " + i);
		}
	}

}
