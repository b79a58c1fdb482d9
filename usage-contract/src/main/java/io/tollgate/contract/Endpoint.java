package io.tollgate.contract;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The provider API a call went to; it decides how the gateway reads the provider's usage
 * object.
 */
public enum Endpoint implements WireValue {

	/** Anthropic {@code POST /v1/messages}. */
	MESSAGES("messages"),

	/** OpenAI {@code POST /v1/chat/completions}. */
	CHAT_COMPLETIONS("chat.completions"),

	/** OpenAI {@code POST /v1/responses}. */
	RESPONSES("responses"),

	/** Gemini {@code generateContent} and {@code streamGenerateContent}. */
	GENERATE_CONTENT("generate_content"),

	/** A provider batch job, reported after it completes. */
	BATCH("batch");

	private final String wire;

	Endpoint(String wire) {
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
	public static Optional<Endpoint> fromWire(String wire) {
		return WireValue.lookup(Endpoint.class, wire);
	}

}
