package io.tollgate.contract;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What the gateway must do with an API key.
 */
public enum KeyAction implements WireValue {

	/** Refuse calls made with the key (until {@code until}, when set). */
	PAUSE("pause"),

	/** Accept calls with the key again. */
	RESUME("resume");

	private final String wire;

	KeyAction(String wire) {
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
	public static Optional<KeyAction> fromWire(String wire) {
		return WireValue.lookup(KeyAction.class, wire);
	}

}
