package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A non-streamed body prebuilt once per script, with slots for what differs per request
 * (the response id, the echoed model, the creation time). At benchmark rates most
 * requests share a script, so each one costs a few appends instead of a full render.
 */
final class BodyTemplate {

	private static final char MARK = '\u0001';

	/** Slot for the response id (or its random part), written as given, unquoted. */
	static final String ID = MARK + "i";

	/** Slot for the model, written quoted. */
	static final String MODEL = MARK + "m";

	/** Slot for the creation time in epoch seconds. */
	static final String CREATED = MARK + "c";

	private static final int CACHE_LIMIT = 4096;

	private static final ConcurrentHashMap<Object, BodyTemplate> CACHE = new ConcurrentHashMap<>();

	private final String[] literals;

	private final char[] slots;

	private final int length;

	private BodyTemplate(String marked) {
		List<String> literals = new ArrayList<>();
		StringBuilder slots = new StringBuilder();
		int start = 0;
		for (int i = marked.indexOf(MARK); i >= 0; i = marked.indexOf(MARK, start)) {
			literals.add(marked.substring(start, i));
			slots.append(marked.charAt(i + 1));
			start = i + 2;
		}
		literals.add(marked.substring(start));
		this.literals = literals.toArray(String[]::new);
		this.slots = slots.toString().toCharArray();
		this.length = marked.length();
	}

	/**
	 * The template for a key, built on first use. The key must capture everything the
	 * body depends on apart from the slots.
	 */
	static BodyTemplate cached(Object key, Supplier<String> markedBody) {
		BodyTemplate template = CACHE.get(key);
		if (template == null) {
			if (CACHE.size() >= CACHE_LIMIT) {
				// Derived input counts vary with body size; a crude bound keeps memory
				// flat.
				CACHE.clear();
			}
			template = CACHE.computeIfAbsent(key, (k) -> new BodyTemplate(markedBody.get()));
		}
		return template;
	}

	byte[] render(String id, String quotedModel, long created) {
		StringBuilder out = new StringBuilder(this.length + 64 + quotedModel.length());
		for (int i = 0; i < this.slots.length; i++) {
			out.append(this.literals[i]);
			switch (this.slots[i]) {
				case 'i' -> out.append(id);
				case 'm' -> out.append(quotedModel);
				case 'c' -> out.append(created);
				default -> throw new IllegalStateException("Unknown slot " + this.slots[i]);
			}
		}
		out.append(this.literals[this.literals.length - 1]);
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

}
