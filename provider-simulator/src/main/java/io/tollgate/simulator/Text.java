package io.tollgate.simulator;

/**
 * The simulated answer: a short sentence cycled word by word, one word per streamed
 * content chunk. A fixed vocabulary lets the per-word events be encoded once and reused
 * by every stream, however long.
 */
final class Text {

	static final String[] WORDS = { "Simulated ", "tokens ", "from ", "the ", "Tollgate ", "provider ", "simulator. " };

	static final String[] QUOTED_WORDS = new String[WORDS.length];

	static {
		for (int i = 0; i < WORDS.length; i++) {
			QUOTED_WORDS[i] = Json.quote(WORDS[i]);
		}
	}

	private Text() {
	}

	static int wordIndex(int chunk) {
		return chunk % WORDS.length;
	}

	/** The whole answer of a reply with the given number of chunks, as a JSON string. */
	static String quotedFullText(int chunks) {
		StringBuilder text = new StringBuilder(chunks * 8);
		for (int i = 0; i < chunks; i++) {
			text.append(WORDS[wordIndex(i)]);
		}
		return Json.quote(text.toString());
	}

}
