package io.tollgate.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The width of a metering aggregation bucket. Buckets are aligned to the UTC epoch, so a
 * bucket is identified by its start and width alone.
 */
public enum BucketWidth implements WireValue {

	/** One minute: the width metering publishes. */
	ONE_MINUTE("1m", Duration.ofMinutes(1)),

	/** One hour. */
	ONE_HOUR("1h", Duration.ofHours(1)),

	/** One day (UTC). */
	ONE_DAY("1d", Duration.ofDays(1));

	private final String wire;

	private final Duration duration;

	BucketWidth(String wire, Duration duration) {
		this.wire = wire;
		this.duration = duration;
	}

	@Override
	@JsonValue
	public String wire() {
		return this.wire;
	}

	/**
	 * The bucket's length.
	 * @return the duration
	 */
	public Duration duration() {
		return this.duration;
	}

	/**
	 * The start of the bucket that holds an instant.
	 * @param instant any instant
	 * @return the bucket start, at or before {@code instant}
	 */
	public Instant bucketStart(Instant instant) {
		long width = this.duration.toMillis();
		return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), width) * width);
	}

	/**
	 * Whether an instant is the start of a bucket of this width.
	 * @param instant the candidate bucket start
	 * @return {@code true} when aligned
	 */
	public boolean isAligned(Instant instant) {
		return bucketStart(instant).equals(instant);
	}

	/**
	 * Looks up a constant by its wire spelling.
	 * @param wire the spelling, e.g. {@code 1m}
	 * @return the constant, or empty when the spelling is unknown
	 */
	public static Optional<BucketWidth> fromWire(String wire) {
		return WireValue.lookup(BucketWidth.class, wire);
	}

}
