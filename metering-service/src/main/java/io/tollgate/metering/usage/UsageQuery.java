package io.tollgate.metering.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.tollgate.contract.BucketWidth;
import io.tollgate.contract.WireValue;
import io.tollgate.support.web.ApiException;
import org.jspecify.annotations.Nullable;

/**
 * One validated request of the usage API: which tenant, which buckets, how grouped and
 * filtered, and which page.
 *
 * <p>
 * Paging: the query covers the buckets of width {@code width} in [{@code startingAt},
 * {@code endingAt}); a page is at most {@code limit} consecutive buckets of it. The first
 * page starts at {@code startingAt}; page {@code n + 1} starts where page {@code n}
 * ended, and that start is what the {@code next_page} token carries ({@link PageToken}).
 * A page thus covers [{@code pageStart}, min({@code pageStart + limit × width},
 * {@code endingAt})), lists every bucket of that range (empty ones with no results), and
 * has more when its end is before {@code endingAt}. Pages are cut by time, never by row
 * count, so one page holds every group of each of its buckets and totals across pages add
 * up to the unpaged totals.
 *
 * <p>
 * Parameter rules: {@code starting_at} (required) and {@code ending_at} must be RFC 3339
 * instants at the start of a bucket of the requested width, in UTC terms (an offset is
 * accepted, {@code 2026-11-01T01:00:00+01:00} is the day bucket of November 1); an
 * unaligned instant is refused rather than snapped, so that a client never gets a range
 * other than the one it asked for. Without {@code ending_at} the query covers
 * {@code limit} buckets, but not beyond the bucket holding the current time (and at least
 * one bucket), so it is always a single page.
 *
 * @param tenantId the tenant whose usage is read
 * @param width the bucket width
 * @param startingAt start of the first bucket
 * @param endingAt end of the last bucket (exclusive)
 * @param groupBy the dimensions results are grouped by, distinct, in {@link GroupBy}
 * declaration order
 * @param apiKeyIds only these keys, or all when empty
 * @param models only these models, or all when empty
 * @param limit the most buckets in a page
 * @param pageStart start of the first bucket of the requested page
 * @param queryId identifies the query regardless of the page; carried by page tokens
 */
record UsageQuery(String tenantId, BucketWidth width, Instant startingAt, Instant endingAt, List<GroupBy> groupBy,
		List<String> apiKeyIds, List<String> models, int limit, Instant pageStart, String queryId) {

	static final String STARTING_AT = "starting_at";

	static final String ENDING_AT = "ending_at";

	static final String BUCKET_WIDTH = "bucket_width";

	static final String GROUP_BY = "group_by";

	static final String API_KEY_IDS = "api_key_ids";

	static final String MODELS = "models";

	static final String LIMIT = "limit";

	private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder().parseCaseInsensitive()
		.append(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
		.toFormatter();

	/** An offset whose '+' arrived as a space: an unencoded '+' in a query string. */
	private static final Pattern DECODED_PLUS_OFFSET = Pattern.compile(" (\\d{2}:?\\d{2})$");

	// PostgreSQL's timestamptz and epoch-millisecond bucket arithmetic both hold these.
	private static final Instant EARLIEST = Instant.EPOCH;

	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

	UsageQuery {
		groupBy = List.copyOf(groupBy);
		apiKeyIds = List.copyOf(apiKeyIds);
		models = List.copyOf(models);
	}

	/**
	 * Validates the query parameters of a request.
	 * @param tenantId the tenant the caller may read, already decided
	 * @param params the query parameters; unknown names are ignored
	 * @param now the current time, which bounds the default {@code ending_at}
	 * @return the query
	 * @throws ApiException a 400 {@code invalid_parameter} naming the first parameter
	 * found wrong
	 */
	static UsageQuery parse(String tenantId, Map<String, List<String>> params, Instant now) {
		BucketWidth width = width(single(params, BUCKET_WIDTH));
		Limits limits = Limits.of(width);
		Instant startingAt = aligned(STARTING_AT, required(STARTING_AT, single(params, STARTING_AT)), width);
		String endingAtText = single(params, ENDING_AT);
		Instant requestedEnd = (endingAtText != null) ? aligned(ENDING_AT, endingAtText, width) : null;
		int limit = limit(single(params, LIMIT), width, limits);
		Instant endingAt = (requestedEnd != null) ? checkRange(startingAt, requestedEnd, width, limits)
				: defaultEnd(startingAt, width, limit, now);
		List<GroupBy> groupBy = groupBy(multi(params, GROUP_BY));
		List<String> apiKeyIds = multi(params, API_KEY_IDS);
		List<String> models = multi(params, MODELS);
		String queryId = PageToken
			.queryId(normalised(tenantId, width, startingAt, requestedEnd, limit, groupBy, apiKeyIds, models));
		String page = single(params, PageToken.PARAM);
		Instant pageStart = (page != null) ? pageStart(page, queryId, startingAt, endingAt, width) : startingAt;
		return new UsageQuery(tenantId, width, startingAt, endingAt, groupBy, apiKeyIds, models, limit, pageStart,
				queryId);
	}

	/** End of the requested page (exclusive). */
	Instant pageEnd() {
		Instant full = this.pageStart.plus(this.width.duration().multipliedBy(this.limit));
		return full.isBefore(this.endingAt) ? full : this.endingAt;
	}

	boolean hasMore() {
		return pageEnd().isBefore(this.endingAt);
	}

	/** The token of the page after this one, {@code null} on the last page. */
	@Nullable String nextPage() {
		return hasMore() ? PageToken.encode(pageEnd(), this.queryId) : null;
	}

	/**
	 * Reads a parameter that may be given once. Blank counts as absent, so that a client
	 * filling a URL template with an empty value gets the default.
	 * @param params the query parameters
	 * @param name the parameter
	 * @return its value, or {@code null} when absent or blank
	 * @throws ApiException when given more than once with different values
	 */
	static @Nullable String single(Map<String, List<String>> params, String name) {
		List<String> values = params.get(name);
		if (values == null || values.isEmpty()) {
			return null;
		}
		String first = values.getFirst();
		for (String value : values) {
			if (!value.equals(first)) {
				throw ApiException.invalidParameter(name, name + " is given more than once with different values");
			}
		}
		return first.isBlank() ? null : first.strip();
	}

	/**
	 * Reads a list parameter, repeated ({@code models=a&models=b}), comma separated
	 * ({@code models=a,b}) or in the bracket form ({@code models[]=a}), in any mix.
	 */
	private static List<String> multi(Map<String, List<String>> params, String name) {
		Set<String> items = new LinkedHashSet<>();
		for (String key : List.of(name, name + "[]")) {
			for (String value : params.getOrDefault(key, List.of())) {
				for (String item : value.split(",")) {
					if (!item.isBlank()) {
						items.add(item.strip());
					}
				}
			}
		}
		return List.copyOf(items);
	}

	private static String required(String name, @Nullable String value) {
		if (value == null) {
			throw ApiException.invalidParameter(name,
					name + " is required (an RFC 3339 time, e.g. " + "2026-11-01T00:00:00Z)");
		}
		return value;
	}

	private static BucketWidth width(@Nullable String value) {
		if (value == null) {
			return BucketWidth.ONE_DAY;
		}
		return BucketWidth.fromWire(value)
			.orElseThrow(() -> ApiException.invalidParameter(BUCKET_WIDTH,
					"bucket_width '" + value + "' is not one of " + WireValue.spellings(BucketWidth.class)));
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

	private static int limit(@Nullable String value, BucketWidth width, Limits limits) {
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

	private static Instant checkRange(Instant startingAt, Instant endingAt, BucketWidth width, Limits limits) {
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

	private static List<GroupBy> groupBy(List<String> values) {
		Set<GroupBy> groupBy = EnumSet.noneOf(GroupBy.class);
		for (String value : values) {
			groupBy.add(GroupBy.fromWire(value)
				.orElseThrow(() -> ApiException.invalidParameter(GROUP_BY,
						"group_by '" + value + "' is not one of " + GroupBy.spellings())));
		}
		return List.copyOf(groupBy);
	}

	private static Instant pageStart(String token, String queryId, Instant startingAt, Instant endingAt,
			BucketWidth width) {
		long start = PageToken.decode(token, queryId);
		// Compared as seconds: a crafted value could be outside Instant's range.
		if (start < startingAt.getEpochSecond() || start >= endingAt.getEpochSecond()) {
			throw PageToken.malformed();
		}
		Instant pageStart = Instant.ofEpochSecond(start);
		if (!width.isAligned(pageStart)) {
			throw PageToken.malformed();
		}
		return pageStart;
	}

	private static List<String> normalised(String tenantId, BucketWidth width, Instant startingAt,
			@Nullable Instant requestedEnd, int limit, List<GroupBy> groupBy, List<String> apiKeyIds,
			List<String> models) {
		List<String> parts = new ArrayList<>();
		parts.add(tenantId);
		parts.add(width.wire());
		parts.add(Long.toString(startingAt.getEpochSecond()));
		// The requested end, not the resolved one: a default end moves with the clock.
		parts.add((requestedEnd != null) ? Long.toString(requestedEnd.getEpochSecond()) : "");
		parts.add(Integer.toString(limit));
		parts.add(String.join(",", groupBy.stream().map(GroupBy::wire).toList()));
		parts.add(Integer.toString(apiKeyIds.size()));
		apiKeyIds.stream().sorted().forEach(parts::add);
		parts.add(Integer.toString(models.size()));
		models.stream().sorted().forEach(parts::add);
		return parts;
	}

	/**
	 * Page sizes and range per bucket width. The longest range is also the largest page,
	 * so a query within range can always be read in one page.
	 */
	private record Limits(int defaultLimit, int maxLimit, Duration maxRange, String maxRangeText) {

		static Limits of(BucketWidth width) {
			return switch (width) {
				case ONE_MINUTE -> new Limits(60, 1440, Duration.ofDays(1), "1 day");
				case ONE_HOUR -> new Limits(24, 744, Duration.ofDays(31), "31 days");
				case ONE_DAY -> new Limits(7, 366, Duration.ofDays(366), "366 days");
			};
		}

	}

}
