package io.tollgate.billing.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.BucketWidth;
import io.tollgate.support.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the spend report adds to the shared parameter rules (tested in service-support,
 * {@code BucketRangeTests}): its widths, its group_by dimensions, and what its page
 * tokens identify.
 */
class SpendQueryTests {

	private static final Instant NOW = Instant.parse("2026-11-23T12:34:56Z");

	@Test
	void defaultsToSevenDailyBucketsWithoutGrouping() {
		SpendQuery query = parse("starting_at", "2026-10-01T00:00:00Z");
		assertThat(query.page().width()).isEqualTo(BucketWidth.ONE_DAY);
		assertThat(query.page().range().limit()).isEqualTo(7);
		assertThat(query.page().range().endingAt()).isEqualTo("2026-10-08T00:00:00Z");
		assertThat(query.page().hasMore()).isFalse();
		assertThat(query.groupBy()).isEmpty();
		assertThat(query.tenantId()).isEqualTo("tenant-a");
	}

	@Test
	void offersHourAndDayBucketsWithTheUsageApisPageSizes() {
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h").page().range().limit())
			.isEqualTo(24);
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "bucket_width", "1h", "limit", "744").page()
			.range()
			.limit()).isEqualTo(744);
		assertThat(parse("starting_at", "2025-10-01T00:00:00Z", "limit", "366").page().range().limit()).isEqualTo(366);
	}

	@Test
	void readsGroupByRepeatedCommaSeparatedAndBracketed() {
		SpendQuery query = parse("starting_at", "2026-10-01T00:00:00Z", "group_by", "token_kind, model", "group_by[]",
				"api_key_id", "group_by", "model");
		assertThat(query.groupBy()).containsExactly(SpendGroupBy.API_KEY_ID, SpendGroupBy.MODEL,
				SpendGroupBy.TOKEN_KIND);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			bucket_width=1h                                                          | starting_at
			starting_at=2026-10-01T00:00:00Z&bucket_width=1m                         | bucket_width
			starting_at=2026-10-01T00:00:00Z&bucket_width=1w                         | bucket_width
			starting_at=2026-10-01T00:30:00Z&bucket_width=1h                         | starting_at
			starting_at=2026-10-01T00:00:00Z&ending_at=2026-11-01T01:00:00Z&bucket_width=1h | ending_at
			starting_at=2026-10-01T00:00:00Z&group_by=provider                       | group_by
			starting_at=2026-10-01T00:00:00Z&group_by[]=Model                        | group_by
			starting_at=2026-10-01T00:00:00Z&limit=745&bucket_width=1h               | limit
			starting_at=2026-10-01T00:00:00Z&page=not-a-token                        | page
			""")
	void rejectsInvalidParameter(String query, String param) {
		List<String> pairs = new ArrayList<>();
		for (String pair : query.split("&")) {
			pairs.add(pair.substring(0, pair.indexOf('=')));
			pairs.add(pair.substring(pair.indexOf('=') + 1));
		}
		assertRejected(() -> parse(pairs.toArray(String[]::new)), param);
	}

	@Test
	void pageTokenBelongsToItsTenantRangeAndGrouping() {
		String[] base = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z", "bucket_width",
				"1h", "group_by", "model,token_kind" };
		String token = parse(base).page().nextPage();
		assertThat(token).isNotNull();
		assertThat(parse(with(base, "page", token)).page().pageStart()).isEqualTo("2026-10-02T00:00:00Z");
		// The grouping is a set: another order is the same query.
		assertThat(parse("starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z", "bucket_width",
				"1h", "group_by[]", "token_kind", "group_by[]", "model", "page", token)
			.page()
			.pageStart()).isEqualTo("2026-10-02T00:00:00Z");
		assertRejected(() -> parse(with(base, "page", token, "group_by", "api_key_id")), "page");
		assertRejected(() -> parse(with(base, "page", token, "limit", "12")), "page");
		assertRejected(() -> SpendQuery.parse("tenant-b", params(with(base, "page", token)), NOW), "page");
	}

	private static void assertRejected(Runnable parse, String param) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(parse::run).satisfies((ex) -> {
			assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(ex.code()).isEqualTo("invalid_parameter");
			assertThat(ex.details()).containsEntry("param", param);
		});
	}

	private static SpendQuery parse(String... pairs) {
		return SpendQuery.parse("tenant-a", params(pairs), NOW);
	}

	private static Map<String, List<String>> params(String... pairs) {
		Map<String, List<String>> params = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			params.computeIfAbsent(pairs[i], (name) -> new ArrayList<>()).add(pairs[i + 1]);
		}
		return params;
	}

	private static String[] with(String[] pairs, String... more) {
		List<String> all = new ArrayList<>(List.of(pairs));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

}
