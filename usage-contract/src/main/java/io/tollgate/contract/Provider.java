package io.tollgate.contract;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The upstream LLM provider that served a call.
 */
public enum Provider implements WireValue {

	/** Anthropic Messages API. */
	ANTHROPIC("anthropic"),

	/** OpenAI Chat Completions and Responses APIs. */
	OPENAI("openai"),

	/** Google Gemini API. */
	GEMINI("gemini");

	private final String wire;

	Provider(String wire) {
		this.wire = wire;
	}

	@Override
	@JsonValue
	public String wire() {
		return this.wire;
	}

	/**
	 * Looks up a constant by its wire spelling.
	 * @param wire the spelling, e.g. as read from JSON
	 * @return the constant, or empty when the spelling is unknown
	 */
	public static Optional<Provider> fromWire(String wire) {
		return WireValue.lookup(Provider.class, wire);
	}

}
