package io.tollgate.contract;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The provider's service tier for a call; providers price the tiers differently.
 */
public enum ServiceTier implements WireValue {

	/** The default tier. */
	STANDARD("standard"),

	/** Asynchronous batch processing, usually discounted. */
	BATCH("batch"),

	/** Priority capacity, usually at a premium. */
	PRIORITY("priority"),

	/** OpenAI flex processing: slower, cheaper. */
	FLEX("flex");

	private final String wire;

	ServiceTier(String wire) {
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
	public static Optional<ServiceTier> fromWire(String wire) {
		return WireValue.lookup(ServiceTier.class, wire);
	}

}
