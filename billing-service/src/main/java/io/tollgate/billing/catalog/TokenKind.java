package io.tollgate.billing.catalog;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.WireValue;

/**
 * The token kinds that carry a price. Reasoning tokens are already part of output, and
 * server tool uses are billed per request, not per token: neither is priced here.
 */
public enum TokenKind implements WireValue {

	/** Uncached input. */
	INPUT("input"),

	/** Output, reasoning included. */
	OUTPUT("output"),

	/** Input written to a five-minute cache. */
	CACHE_WRITE_5M("cache_write_5m"),

	/** Input written to a one-hour cache. */
	CACHE_WRITE_1H("cache_write_1h"),

	/** Input read from a cache. */
	CACHE_READ("cache_read");

	private final String wire;

	TokenKind(String wire) {
		this.wire = wire;
	}

	/**
	 * The kind's name in the catalog file, the database and the APIs.
	 * @return e.g. {@code cache_write_5m}
	 */
	@Override
	@JsonValue
	public String wire() {
		return this.wire;
	}

	/**
	 * How many tokens of this kind the counts hold.
	 * @param tokens the counts
	 * @return the quantity
	 */
	public long quantity(TokenCounts tokens) {
		return switch (this) {
			case INPUT -> tokens.input();
			case OUTPUT -> tokens.output();
			case CACHE_WRITE_5M -> tokens.cacheWrite5m();
			case CACHE_WRITE_1H -> tokens.cacheWrite1h();
			case CACHE_READ -> tokens.cacheRead();
		};
	}

	/**
	 * Looks up a kind by its wire spelling.
	 * @param wire the spelling, e.g. {@code cache_read}
	 * @return the kind, or empty when the spelling is unknown
	 */
	public static Optional<TokenKind> fromWire(String wire) {
		return WireValue.lookup(TokenKind.class, wire);
	}

}
