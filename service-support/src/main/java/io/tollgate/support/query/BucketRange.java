package io.tollgate.support.query;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.tollgate.contract.BucketWidth;
import io.tollgate.support.web.ApiException;
import org.jspecify.annotations.Nullable;

/**
 * The validated time parameters of a report query: {@code bucket_width},
 * {@code starting_at}, {@code ending_at} and {@code limit}. Which page of the range a
 * request reads is decided by {@link #page}, once the API knows the rest of its query.
 *
 * <p>
 * Rules: {@code starting_at} (required) and {@code ending_at} must be RFC 3339 instants
 * at the start of a bucket of the requested width, in UTC terms (an offset is accepted,
 * {@code 2026-11-01T01:00:00+01:00} is the day bucket of November 1; a {@code +} that
 * arrived unencoded, as a space, is read as {@code +}); an unaligned instant is refused
 * rather than snapped, so that a client never gets a range other than the one it asked
 * for. {@code ending_at} is exclusive, after {@code starting_at} and at most the width's
 * longest range ({@link BucketRules#limits}) after it. Without {@code ending_at} the
 * query covers {@code limit} buckets, but not beyond the bucket holding the current time
 * (and at least one bucket), so it is always a single page. Parameters are checked in the
 * order {@code bucket_width}, {@code starting_at}, {@code ending_at}'s form,
 * {@code limit}, {@code ending_at}'s range, and the first one found wrong is named.
 *
 * @param width the bucket width
 * @param startingAt start of the first bucket
 * @param endingAt end of the last bucket (exclusive), requested or defaulted
 * @param requestedEnd {@code ending_at} as requested, {@code null} when defaulted
 * @param limit the most buckets in a page
 */
public record BucketRange(BucketWidth width, Instant startingAt, Instant endingAt, @Nullable Instant requestedEnd,
		int limit) {

	/** Start of the first bucket (inclusive); required. */
	public static final String STARTING_AT = "starting_at";

	/** End of the last bucket (exclusive); optional. */
	public static final String ENDING_AT = "ending_at";

	/** {@code 1m}, {@code 1h} or {@code 1d}, as the API offers. */
	public static final String BUCKET_WIDTH = "bucket_width";

	/** The most buckets in a page. */
	public static final String LIMIT = "limit";

	private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder().parseCaseInsensitive()
		.append(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
		.toFormatter();

	/** An offset whose '+' arrived as a space: an unencoded '+' in a query string. */
	private static final Pattern DECODED_PLUS_OFFSET = Pattern.compile(" (\\d{2}:?\\d{2})$");

	/**
	 * The earliest instant a query may name. PostgreSQL's timestamptz and
	 * epoch-millisecond bucket arithmetic both hold every instant from here to
	 * {@link #LATEST}.
	 */
	public static final Instant EARLIEST = Instant.EPOCH;

	/** The latest instant a query may name. */
	public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

	/**
	 * Validates the time parameters of a request.
	 * @param params the query parameters; other names are ignored
	 * @param rules the widths the API offers
	 * @param now the current time, which bounds the default {@code ending_at}
	 * @return the range
	 * @throws ApiException a 400 {@code invalid_parameter} naming the first parameter
	 * found wrong
	 */
	public static BucketRange parse(Map<String, List<String>> params, BucketRules rules, Instant now) {
		BucketWidth width = width(QueryParams.single(params, BUCKET_WIDTH), rules);
		BucketRules.Limits limits = BucketRules.limits(width);
		Instant startingAt = aligned(STARTING_AT, required(STARTING_AT, QueryParams.single(params, STARTING_AT)),
				width);
		String endingAtText = QueryParams.single(params, ENDING_AT);
		Instant requestedEnd = (endingAtText != null) ? aligned(ENDING_AT, endingAtText, width) : null;
		int limit = limit(QueryParams.single(params, LIMIT), width, limits);
		Instant endingAt = (requestedEnd != null) ? checkRange(startingAt, requestedEnd, width, limits)
				: defaultEnd(startingAt, width, limit, now);
		return new BucketRange(width, startingAt, endingAt, requestedEnd, limit);
	}

	/**
	 * The range's part of a query id ({@link PageToken#queryId}): width, start, requested
	 * end and limit. The requested end, not the resolved one: a default end moves with
	 * the clock, and a token must stay valid for the query that issued it.
	 * @return the normalised parameters, in a fixed order
	 */
	public List<String> identity() {
		return List.of(this.width.wire(), Long.toString(this.startingAt.getEpochSecond()),
				(this.requestedEnd != null) ? Long.toString(this.requestedEnd.getEpochSecond()) : "",
				Integer.toString(this.limit));
	}

	/**
	 * The page a request reads: the first without a token, else the one the token starts.
	 * @param token the {@value PageToken#PARAM} parameter, {@code null} when absent
	 * @param queryId the id of the whole query ({@link PageToken#queryId} over
	 * {@link #identity()} and the API's other parameters)
	 * @return the page
	 * @throws ApiException when the token is malformed, belongs to another query, or
	 * starts outside the range or off the bucket grid
	 */
	public BucketPage page(@Nullable String token, String queryId) {
		return new BucketPage(this, (token != null) ? pageStart(token, queryId) : this.startingAt, queryId);
	}

	private Instant pageStart(String token, String queryId) {
		long start = PageToken.decode(token, queryId);
		// Compared as seconds: a crafted value could be outside Instant's range.
		if (start < this.startingAt.getEpochSecond() || start >= this.endingAt.getEpochSecond()) {
			throw PageToken.malformed();
		}
		Instant pageStart = Instant.ofEpochSecond(start);
		if (!this.width.isAligned(pageStart)) {
			throw PageToken.malformed();
		}
		return pageStart;
	}

	private static String required(String name, @Nullable String value) {
		if (value == null) {
			throw ApiException.invalidParameter(name,
					name + " is required (an RFC 3339 time, e.g. " + "2026-11-01T00:00:00Z)");
		}
		return value;
	}

	private static BucketWidth width(@Nullable String value, BucketRules rules) {
		if (value == null) {
			return rules.defaultWidth();
		}
		return BucketWidth.fromWire(value)
			.filter(rules.offered()::contains)
			.orElseThrow(() -> ApiException.invalidParameter(BUCKET_WIDTH,
					"bucket_width '" + value + "' is not one of " + rules.spellings()));
	}

	private static Instant aligned(String name, String value, BucketWidth width) {
		Instant instant = instant(name, value);
		if (!width.isAligned(instant)) {
			throw ApiException.invalidParameter(name,
					name + " " + value + " is not the start of a " + width.wire() + " bucket (buckets are aligned "
							+ "to UTC); the bucket holding it starts at " + width.bucketStart(instant));
		}
		return instant;
	}

	private static Instant instant(String name, String value) {
		String text = DECODED_PLUS_OFFSET.matcher(value).replaceFirst("+$1");
		Instant instant;
		try {
			instant = OffsetDateTime.parse(text, RFC_3339).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw ApiException.invalidParameter(name,
					name + " '" + value + "' is not an RFC 3339 time such as 2026-11-01T00:00:00Z");
		}
		if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
			throw ApiException.invalidParameter(name, name + " must lie between " + EARLIEST + " and " + LATEST);
		}
		return instant;
	}

	private static int limit(@Nullable String value, BucketWidth width, BucketRules.Limits limits) {
		if (value == null) {
			return limits.defaultLimit();
		}
		int limit;
		try {
			limit = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			limit = 0;
		}
		if (limit < 1 || limit > limits.maxLimit()) {
			throw ApiException.invalidParameter(LIMIT, "limit '" + value + "' is not a whole number from 1 to "
					+ limits.maxLimit() + " (the most buckets of " + width.wire() + " in a page)");
		}
		return limit;
	}

	private static Instant checkRange(Instant startingAt, Instant endingAt, BucketWidth width,
			BucketRules.Limits limits) {
		if (!endingAt.isAfter(startingAt)) {
			throw ApiException.invalidParameter(ENDING_AT, "ending_at must be after starting_at");
		}
		if (Duration.between(startingAt, endingAt).compareTo(limits.maxRange()) > 0) {
			throw ApiException.invalidParameter(ENDING_AT,
					"ending_at is more than " + limits.maxRangeText() + " after starting_at, the longest range for "
							+ "bucket_width " + width.wire() + "; use a wider bucket or several queries");
		}
		return endingAt;
	}

	private static Instant defaultEnd(Instant startingAt, BucketWidth width, int limit, Instant now) {
		Instant full = startingAt.plus(width.duration().multipliedBy(limit));
		Instant currentBucketEnd = width.isAligned(now) ? now : width.bucketStart(now).plus(width.duration());
		Instant end = full.isBefore(currentBucketEnd) ? full : currentBucketEnd;
		Instant oneBucket = startingAt.plus(width.duration());
		return end.isBefore(oneBucket) ? oneBucket : end;
	}

}
