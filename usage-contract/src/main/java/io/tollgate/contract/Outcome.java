package io.tollgate.contract;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a model call ended. Usage seen before an abort still counts: the provider bills it.
 */
public enum Outcome implements WireValue {

	/** The provider answered successfully. */
	SUCCESS("success"),

	/** The provider answered with an error or failed mid-stream. */
	UPSTREAM_ERROR("upstream_error"),

	/** The client went away before the call completed. */
	CLIENT_ABORTED("client_aborted");

	private final String wire;

	Outcome(String wire) {
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
	public static Optional<Outcome> fromWire(String wire) {
		return WireValue.lookup(Outcome.class, wire);
	}

}
