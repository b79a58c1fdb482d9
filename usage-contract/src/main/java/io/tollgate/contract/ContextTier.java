package io.tollgate.contract;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The per-request input size tier that decides long-context pricing. It is decided per
 * request on the total input (cache reads and writes included) and then applies to the
 * whole request, so it is part of every aggregation key.
 */
public enum ContextTier implements WireValue {

	/**
	 * Total input at or below the model's long-context threshold, or a model without one.
	 */
	STANDARD("standard"),

	/** Total input above the model's long-context threshold. */
	LONG("long");

	private final String wire;

	ContextTier(String wire) {
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
	public static Optional<ContextTier> fromWire(String wire) {
		return WireValue.lookup(ContextTier.class, wire);
	}

}
