package io.tollgate.simulator;

/**
 * Writes JSON by hand. Responses are assembled from fixed fragments in a fixed field
 * order, so a StringBuilder is both cheaper than a tree serialiser and makes the byte
 * layout explicit, which is what the gateway's byte-for-byte tests compare.
 */
final class Json {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Json() {
	}

	static String quote(String value) {
		StringBuilder out = new StringBuilder(value.length() + 2);
		appendQuoted(out, value);
		return out.toString();
	}

	static StringBuilder appendQuoted(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"');
	}

	static String quoteOrNull(@org.jspecify.annotations.Nullable String value) {
		return (value != null) ? quote(value) : "null";
	}

}
