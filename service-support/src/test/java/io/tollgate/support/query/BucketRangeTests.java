package io.tollgate.support.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.BucketWidth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.tollgate.support.query.Params.append;
import static io.tollgate.support.query.Params.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BucketRangeTests {

	private static final Instant NOW = Instant.parse("2026-11-23T12:34:56Z");

	private static final BucketRules ALL_WIDTHS = BucketRules.of(BucketWidth.ONE_DAY, BucketWidth.ONE_MINUTE,
			BucketWidth.ONE_HOUR, BucketWidth.ONE_DAY);

	private static final BucketRules HOURS_AND_DAYS = BucketRules.of(BucketWidth.ONE_DAY, BucketWidth.ONE_HOUR,
			BucketWidth.ONE_DAY);

	private static final String QUERY_ID = PageToken.queryId(List.of("test"));

	@Test
	void defaultsToSevenDailyBuckets() {
		BucketRange range = parse("starting_at", "2026-10-01T00:00:00Z");
		assertThat(range.width()).isEqualTo(BucketWidth.ONE_DAY);
		assertThat(range.limit()).isEqualTo(7);
		assertThat(range.endingAt()).isEqualTo("2026-10-08T00:00:00Z");
		assertThat(range.requestedEnd()).isNull();
		BucketPage page = range.page(null, QUERY_ID);
		assertThat(page.pageStart()).isEqualTo(range.startingAt());
		assertThat(page.pageEnd()).isEqualTo(range.endingAt());
		assertThat(page.hasMore()).isFalse();
		assertThat(page.nextPage()).isNull();
		assertThat(page.bucketStarts()).hasSize(7).startsWith(Instant.parse("2026-10-01T00:00:00Z"));
	}

	@Test
	void defaultLimitAndLongestPageDependOnTheWidth() {
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1m").limit()).isEqualTo(60);
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h").limit()).isEqualTo(24);
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1m", "limit", "1440").limit())
			.isEqualTo(1440);
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h", "limit", "744").limit())
			.isEqualTo(744);
		assertThat(parse("starting_at", "2025-10-01T00:00:00Z", "bucket_width", "1d", "limit", "366").limit())
			.isEqualTo(366);
	}

	@Test
	void refusesAWidthTheApiDoesNotOffer() {
		assertRejected(() -> BucketRange.parse(Params.of("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1m"),
				HOURS_AND_DAYS, NOW), "bucket_width");
		assertThat(BucketRange
			.parse(Params.of("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h"), HOURS_AND_DAYS, NOW)
			.width()).isEqualTo(BucketWidth.ONE_HOUR);
		assertThat(HOURS_AND_DAYS.spellings()).isEqualTo("1h, 1d");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BucketRules.of(BucketWidth.ONE_MINUTE, BucketWidth.ONE_HOUR));
	}

	@Test
	void defaultEndingStopsAtTheBucketHoldingNow() {
		assertThat(parse("starting_at", "2026-11-23T08:00:00Z", "bucket_width", "1h").endingAt())
			.isEqualTo("2026-11-23T13:00:00Z");
	}

	@Test
	void defaultEndingCoversOneBucketWhenStartingAtIsInTheFuture() {
		assertThat(parse("starting_at", "2026-12-01T00:00:00Z").endingAt()).isEqualTo("2026-12-02T00:00:00Z");
	}

	@Test
	void acceptsOffsetsIncludingAPlusDecodedAsSpace() {
		assertThat(parse("starting_at", "2026-11-01T01:00:00+01:00").startingAt()).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(parse("starting_at", "2026-11-01T01:00:00 01:00").startingAt()).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(parse("starting_at", "2026-10-31T19:00:00-05:00").startingAt()).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(parse("starting_at", "2026-11-01t00:00:00.000z").startingAt()).isEqualTo("2026-11-01T00:00:00Z");
	}

	@Test
	void ignoresOtherParametersAndBlankValues() {
		BucketRange range = parse("starting_at", "2026-10-01T00:00:00Z", "workspace_ids", "w1", "ending_at", "",
				"limit", "");
		assertThat(range.endingAt()).isEqualTo("2026-10-08T00:00:00Z");
		assertThat(range.limit()).isEqualTo(7);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			bucket_width=1d                                                          | starting_at
			starting_at=yesterday                                                    | starting_at
			starting_at=2026-10-01                                                   | starting_at
			starting_at=2026-10-01T00:00:00                                          | starting_at
			starting_at=2026-13-01T00:00:00Z                                         | starting_at
			starting_at=0001-01-01T00:00:00Z                                         | starting_at
			starting_at=2026-10-01T00:00:01Z&bucket_width=1m                         | starting_at
			starting_at=2026-10-01T00:30:00Z&bucket_width=1h                         | starting_at
			starting_at=2026-10-01T01:00:00Z                                         | starting_at
			starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-01T12:00:00Z          | ending_at
			starting_at=2026-10-02T00:00:00Z&ending_at=2026-10-01T00:00:00Z          | ending_at
			starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-01T00:00:00Z          | ending_at
			starting_at=2026-10-01T00:00:00Z&ending_at=soon                          | ending_at
			starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-02T00:01:00Z&bucket_width=1m | ending_at
			starting_at=2026-10-01T00:00:00Z&ending_at=2026-11-01T01:00:00Z&bucket_width=1h | ending_at
			starting_at=2025-10-01T00:00:00Z&ending_at=2026-10-03T00:00:00Z          | ending_at
			starting_at=2026-10-01T00:00:00Z&bucket_width=1w                         | bucket_width
			starting_at=2026-10-01T00:00:00Z&limit=0                                 | limit
			starting_at=2026-10-01T00:00:00Z&limit=-1                                | limit
			starting_at=2026-10-01T00:00:00Z&limit=ten                               | limit
			starting_at=2026-10-01T00:00:00Z&limit=367                               | limit
			starting_at=2026-10-01T00:00:00Z&limit=1441&bucket_width=1m              | limit
			starting_at=2026-10-01T00:00:00Z&limit=745&bucket_width=1h               | limit
			starting_at=2026-10-01T00:00:00Z&limit=99999999999                       | limit
			starting_at=2026-10-01T00:00:00Z&starting_at=2026-10-02T00:00:00Z        | starting_at
			""")
	void rejectsInvalidParameter(String query, String param) {
		assertRejected(() -> BucketRange.parse(Params.query(query), ALL_WIDTHS, NOW), param);
	}

	@Test
	void acceptsTheLongestRangeOfEachWidth() {
		assertThat(
				parse("starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-02T00:00:00Z", "bucket_width", "1m")
					.page(null, QUERY_ID)
					.hasMore())
			.isTrue();
		assertThat(
				parse("starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-11-01T00:00:00Z", "bucket_width", "1h")
					.endingAt())
			.isEqualTo("2026-11-01T00:00:00Z");
		assertThat(parse("starting_at", "2024-01-01T00:00:00Z", "ending_at", "2025-01-01T00:00:00Z").endingAt())
			.isEqualTo("2025-01-01T00:00:00Z");
	}

	@Test
	void pagesThroughTheRangeWithNextPageTokens() {
		BucketRange range = parse("starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z",
				"bucket_width", "1h", "limit", "20");
		List<String> pages = new ArrayList<>();
		List<Instant> buckets = new ArrayList<>();
		String token = null;
		do {
			BucketPage page = range.page(token, QUERY_ID);
			pages.add(page.pageStart() + "/" + page.pageEnd());
			buckets.addAll(page.bucketStarts());
			assertThat(page.hasMore()).isEqualTo(page.nextPage() != null);
			token = page.nextPage();
		}
		while (token != null);
		assertThat(pages).containsExactly("2026-10-01T00:00:00Z/2026-10-01T20:00:00Z",
				"2026-10-01T20:00:00Z/2026-10-02T16:00:00Z", "2026-10-02T16:00:00Z/2026-10-03T00:00:00Z");
		// Every bucket of the range exactly once, in order.
		assertThat(buckets).hasSize(48).doesNotHaveDuplicates().isSorted();
	}

	@Test
	void identityCarriesTheRequestedEndNotTheDefaultOne() {
		BucketRange defaulted = parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h");
		BucketRange explicit = parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h", "ending_at",
				"2026-10-02T00:00:00Z");
		assertThat(defaulted.endingAt()).isEqualTo(explicit.endingAt());
		assertThat(defaulted.identity()).isNotEqualTo(explicit.identity());
		assertThat(defaulted.identity()).containsExactly("1h", "1790812800", "", "24");
	}

	@Test
	void rejectsPageTokenOfAnotherQueryOrOutsideTheRangeOrBucketGrid() {
		String[] base = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z", "bucket_width",
				"1h" };
		BucketRange range = parse(base);
		String token = range.page(null, QUERY_ID).nextPage();
		assertThat(token).isNotNull();
		assertRejected(() -> range.page(token, PageToken.queryId(List.of("other"))), "page");
		assertRejected(() -> range.page(PageToken.encode(Instant.parse("2026-10-03T00:00:00Z"), QUERY_ID), QUERY_ID),
				"page");
		assertRejected(() -> range.page(PageToken.encode(Instant.parse("2026-09-30T23:00:00Z"), QUERY_ID), QUERY_ID),
				"page");
		assertRejected(() -> range.page(PageToken.encode(Instant.parse("2026-10-01T10:30:00Z"), QUERY_ID), QUERY_ID),
				"page");
		assertRejected(() -> range.page("djEuMTIzLmFiYw", QUERY_ID), "page");
		assertThat(range.page(token, QUERY_ID).pageStart()).isEqualTo("2026-10-02T00:00:00Z");
		assertThat(range.page(PageToken.encode(Instant.parse("2026-10-01T10:00:00Z"), QUERY_ID), QUERY_ID).pageStart())
			.isEqualTo("2026-10-01T10:00:00Z");
		assertThat(parse(append(base, "limit", "48")).page(null, QUERY_ID).hasMore()).isFalse();
	}

	private static BucketRange parse(String... pairs) {
		return BucketRange.parse(Params.of(pairs), ALL_WIDTHS, NOW);
	}

}
