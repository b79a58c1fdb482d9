package io.tollgate.metering.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.BucketWidth;
import io.tollgate.support.query.PageToken;
import io.tollgate.support.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UsageQueryTests {

	// The time parameters and page tokens follow the shared rules, tested in
	// service-support (BucketRangeTests, PageTokenTests, QueryParamsTests); these tests
	// cover what usage adds: its widths, group_by and filters, and what its page tokens
	// identify.

	private static final Instant NOW = Instant.parse("2026-11-23T12:34:56Z");

	@Test
	void defaultsToSevenDailyBuckets() {
		UsageQuery query = parse("starting_at", "2026-10-01T00:00:00Z");
		assertThat(query.width()).isEqualTo(BucketWidth.ONE_DAY);
		assertThat(query.limit()).isEqualTo(7);
		assertThat(query.endingAt()).isEqualTo("2026-10-08T00:00:00Z");
		assertThat(query.pageStart()).isEqualTo(query.startingAt());
		assertThat(query.pageEnd()).isEqualTo(query.endingAt());
		assertThat(query.hasMore()).isFalse();
		assertThat(query.nextPage()).isNull();
		assertThat(query.groupBy()).isEmpty();
		assertThat(query.apiKeyIds()).isEmpty();
		assertThat(query.models()).isEmpty();
	}

	@Test
	void offersMinuteHourAndDayBuckets() {
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1m").limit()).isEqualTo(60);
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h").limit()).isEqualTo(24);
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1d").limit()).isEqualTo(7);
	}

	@Test
	void readsListsRepeatedCommaSeparatedAndBracketed() {
		UsageQuery query = parse("starting_at", "2026-10-01T00:00:00Z", "group_by", "model, provider", "group_by[]",
				"api_key_id", "group_by", "model", "models", "m1,m2", "models[]", "m3", "api_key_ids[]", "k1",
				"api_key_ids", "k2,,k1");
		assertThat(query.groupBy()).containsExactly(GroupBy.API_KEY_ID, GroupBy.MODEL, GroupBy.PROVIDER);
		assertThat(query.models()).containsExactly("m1", "m2", "m3");
		assertThat(query.apiKeyIds()).containsExactlyInAnyOrder("k1", "k2");
	}

	@Test
	void ignoresUnknownParametersAndBlankValues() {
		UsageQuery query = parse("starting_at", "2026-10-01T00:00:00Z", "workspace_ids", "w1", "ending_at", "",
				"group_by", "");
		assertThat(query.endingAt()).isEqualTo("2026-10-08T00:00:00Z");
		assertThat(query.groupBy()).isEmpty();
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			bucket_width=1d                                                          | starting_at
			starting_at=2026-10-01T00:00:01Z&bucket_width=1m                         | starting_at
			starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-02T00:01:00Z&bucket_width=1m | ending_at
			starting_at=2026-10-01T00:00:00Z&bucket_width=1w                         | bucket_width
			starting_at=2026-10-01T00:00:00Z&group_by=model,workspace_id             | group_by
			starting_at=2026-10-01T00:00:00Z&group_by[]=Model                        | group_by
			starting_at=2026-10-01T00:00:00Z&group_by=token_kind                     | group_by
			starting_at=2026-10-01T00:00:00Z&limit=1441&bucket_width=1m              | limit
			starting_at=2026-10-01T00:00:00Z&page=not-a-token                        | page
			starting_at=2026-10-01T00:00:00Z&page=djEuMTIzLmFiYw                     | page
			""")
	void rejectsInvalidParameter(String query, String param) {
		assertRejected(() -> parse(query(query)), param);
	}

	@Test
	void pagesThroughTheRangeWithNextPageTokens() {
		String[] base = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z", "bucket_width",
				"1h", "limit", "20", "models", "m2,m1" };
		List<Instant[]> pages = new ArrayList<>();
		String page = null;
		do {
			UsageQuery query = (page != null) ? parse(append(base, "page", page)) : parse(base);
			pages.add(new Instant[] { query.pageStart(), query.pageEnd() });
			assertThat(query.hasMore()).isEqualTo(query.nextPage() != null);
			page = query.nextPage();
		}
		while (page != null);
		assertThat(pages).extracting((range) -> range[0] + "/" + range[1])
			.containsExactly("2026-10-01T00:00:00Z/2026-10-01T20:00:00Z", "2026-10-01T20:00:00Z/2026-10-02T16:00:00Z",
					"2026-10-02T16:00:00Z/2026-10-03T00:00:00Z");
	}

	@Test
	void pageTokenDoesNotDependOnTheOrderOfListValues() {
		UsageQuery first = parse("starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z",
				"bucket_width", "1h", "models", "m1,m2", "group_by", "model,api_key_id");
		String token = first.nextPage();
		assertThat(token).isNotNull();
		UsageQuery second = parse("starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z",
				"bucket_width", "1h", "models[]", "m2", "models[]", "m1", "group_by", "api_key_id", "group_by", "model",
				"page", token);
		assertThat(second.pageStart()).isEqualTo("2026-10-02T00:00:00Z");
	}

	@Test
	void rejectsPageTokenOfAnotherQuery() {
		String[] base = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z", "bucket_width",
				"1h" };
		String token = parse(base).nextPage();
		assertThat(token).isNotNull();
		assertRejected(() -> parse(append(base, "page", token, "models", "m1")), "page");
		assertRejected(() -> parse(append(base, "page", token, "api_key_ids", "k1")), "page");
		assertRejected(() -> parse(append(base, "page", token, "limit", "12")), "page");
		assertRejected(() -> parse(append(base, "page", token, "group_by", "model")), "page");
		assertRejected(() -> UsageQuery.parse("another-tenant", params(append(base, "page", token)), NOW), "page");
		assertThat(parse(append(base, "page", token)).pageStart()).isEqualTo("2026-10-02T00:00:00Z");
	}

	@Test
	void rejectsPageTokenOutsideTheRange() {
		String[] base = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z", "bucket_width",
				"1h" };
		String queryId = parse(base).queryId();
		assertRejected(
				() -> parse(append(base, "page", PageToken.encode(Instant.parse("2026-10-03T00:00:00Z"), queryId))),
				"page");
		assertThat(parse(append(base, "page", PageToken.encode(Instant.parse("2026-10-01T10:00:00Z"), queryId)))
			.pageStart()).isEqualTo("2026-10-01T10:00:00Z");
	}

	private static void assertRejected(Runnable parse, String param) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(parse::run).satisfies((ex) -> {
			assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(ex.code()).isEqualTo("invalid_parameter");
			assertThat(ex.details()).containsEntry("param", param);
			assertThat(ex.getMessage()).isNotBlank();
		});
	}

	private static UsageQuery parse(String... pairs) {
		return UsageQuery.parse("tenant-a", params(pairs), NOW);
	}

	private static Map<String, List<String>> params(String... pairs) {
		Map<String, List<String>> params = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			params.computeIfAbsent(pairs[i], (name) -> new ArrayList<>()).add(pairs[i + 1]);
		}
		return params;
	}

	private static String[] query(String query) {
		List<String> pairs = new ArrayList<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			pairs.add(pair.substring(0, equals));
			pairs.add(pair.substring(equals + 1));
		}
		return pairs.toArray(String[]::new);
	}

	private static String[] append(String[] pairs, String... more) {
		List<String> all = new ArrayList<>(List.of(pairs));
		for (String value : more) {
			all.add(value);
		}
		return all.toArray(String[]::new);
	}

}
