package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.billing.report.ReportFixtures.HAIKU;
import static io.tollgate.billing.report.ReportFixtures.PRICED_WITHIN;
import static io.tollgate.billing.report.ReportFixtures.SONNET;
import static io.tollgate.billing.report.ReportFixtures.delta;
import static io.tollgate.billing.report.ReportFixtures.newTenant;
import static io.tollgate.billing.report.ReportFixtures.publish;
import static io.tollgate.billing.report.ReportFixtures.tokens;
import static io.tollgate.testsupport.ApiCalls.getJson;
import static io.tollgate.testsupport.ApiCalls.list;
import static io.tollgate.testsupport.ApiCalls.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/spend} over deltas priced by the ledger with the seed catalog's list
 * prices, checked against amounts computed by hand (USD per million tokens): Claude
 * Sonnet 4.5 is $3 input, $15 output, $3.75 and $6 for 5-minute and 1-hour cache writes,
 * $0.30 for cache reads, half that in the batch tier; Claude Haiku 4.5 is $1 input; an
 * unknown model is priced as Claude Opus 4.1 ($15 input) and flagged.
 */
@BillingIntegrationTest
class SpendReportIntegrationTests {

	private static final Instant OCT_1 = Instant.parse("2026-10-01T00:00:00Z");

	private static final Instant OCT_3 = Instant.parse("2026-10-03T00:00:00Z");

	@LocalServerPort
	private int port;

	@Autowired
	private DatabaseClient db;

	@Test
	void reportsExactSpendPerDayAndListsEmptyDays() {
		String tenant = newTenant("spend-days");
		publish(delta(tenant, "key-1", "claude-sonnet-4-5-20250929", ServiceTier.STANDARD, OCT_1.plusSeconds(36_000),
				new TokenCounts(1_000_000, 200_000, 100_000, 50_000, 2_000_000, 0, 0)),
				delta(tenant, "key-1", SONNET, ServiceTier.BATCH, OCT_3.plusSeconds(19_800),
						tokens(1_000_000, 100_000)),
				delta(newTenant("spend-days-other"), "key-1", SONNET, ServiceTier.STANDARD, OCT_1, tokens(5, 0)));
		// Oct 1: 3 + 3 + 0.375 + 0.30 + 0.60 = 7.275 for 3,350,000 tokens.
		// Oct 3 (batch): 1.50 + 0.75 = 2.25 for 1,100,000 tokens.
		await().atMost(PRICED_WITHIN)
			.untilAsserted(() -> asTenant(tenant).get()
				.uri(uri("/v1/spend", "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-04T00:00:00Z"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.json("""
						{"data": [
						  {"starting_at": "2026-10-01T00:00:00Z", "ending_at": "2026-10-02T00:00:00Z",
						   "results": [{"amount": "7.275", "currency": "USD", "quantity": 3350000, "unpriced": false}]},
						  {"starting_at": "2026-10-02T00:00:00Z", "ending_at": "2026-10-03T00:00:00Z", "results": []},
						  {"starting_at": "2026-10-03T00:00:00Z", "ending_at": "2026-10-04T00:00:00Z",
						   "results": [{"amount": "2.25", "currency": "USD", "quantity": 1100000, "unpriced": false}]}],
						 "has_more": false, "next_page": null}""", JsonCompareMode.STRICT));
	}

	@Test
	void groupsByKeyModelAndTokenKindInHourBuckets() {
		String tenant = newTenant("spend-groups");
		publish(delta(tenant, "key-a", SONNET, ServiceTier.STANDARD, OCT_1.plusSeconds(600),
				tokens(1_000_000, 100_000)),
				delta(tenant, "key-b", HAIKU, ServiceTier.STANDARD, OCT_1.plusSeconds(1_200), tokens(500_000, 0)),
				delta(tenant, "key-a", SONNET, ServiceTier.STANDARD, OCT_1.plusSeconds(3_900), tokens(2_000_000, 0)));
		String[] hours = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-01T02:00:00Z", "bucket_width",
				"1h" };
		await().atMost(PRICED_WITHIN).untilAsserted(() -> {
			Map<String, Object> report = getJson(asTenant(tenant),
					uri("/v1/spend", with(hours, "group_by", "model", "group_by[]", "api_key_id")));
			List<Map<String, Object>> data = list(report, "data");
			// key-a: 3.00 input + 1.50 output; key-b: 0.50 of Haiku input.
			assertThat(list(data.get(0), "results")).extracting(SpendReportIntegrationTests::describe)
				.containsExactly("key-a|claude-sonnet-4-5|null|4.50|1100000|false",
						"key-b|claude-haiku-4-5|null|0.50|500000|false");
			assertThat(list(data.get(1), "results")).extracting(SpendReportIntegrationTests::describe)
				.containsExactly("key-a|claude-sonnet-4-5|null|6.00|2000000|false");
		});
		Map<String, Object> byKind = getJson(asTenant(tenant),
				uri("/v1/spend", with(hours, "group_by", "token_kind,model")));
		List<Map<String, Object>> results = list(list(byKind, "data").get(0), "results");
		assertThat(results).extracting(SpendReportIntegrationTests::describe)
			.containsExactly("null|claude-haiku-4-5|input|0.50|500000|false",
					"null|claude-sonnet-4-5|input|3.00|1000000|false",
					"null|claude-sonnet-4-5|output|1.50|100000|false");
		assertThat(results).allSatisfy((result) -> assertThat(result).doesNotContainKey("api_key_id"));
	}

	@Test
	void flagsUnpricedSpendUnderTheReportedModel() {
		String tenant = newTenant("spend-unpriced");
		String unknown = ReportFixtures.unknownModel();
		publish(delta(tenant, "key-1", unknown, ServiceTier.STANDARD, OCT_1.plusSeconds(60), tokens(1_000, 0)),
				delta(tenant, "key-1", SONNET, ServiceTier.STANDARD, OCT_1.plusSeconds(120), tokens(1_000_000, 0)));
		String[] day = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-02T00:00:00Z" };
		await().atMost(PRICED_WITHIN)
			.untilAsserted(() -> assertThat(
					list(list(getJson(asTenant(tenant), uri("/v1/spend", day)), "data").get(0), "results"))
				.extracting(SpendReportIntegrationTests::describe)
				.containsExactly("null|null|null|3.015|1001000|true"));
		assertThat(
				list(list(getJson(asTenant(tenant), uri("/v1/spend", with(day, "group_by", "model"))), "data").get(0),
						"results"))
			.extracting(SpendReportIntegrationTests::describe)
			.containsExactly("null|claude-sonnet-4-5|null|3.00|1000000|false",
					"null|" + unknown + "|null|0.015|1000|true");
	}

	@Test
	void netsCorrectionsAndLeavesOutGroupsCorrectedAway() {
		String tenant = newTenant("spend-corrected");
		Instant ten = OCT_1.plusSeconds(36_000);
		Instant eleven = ten.plusSeconds(3_600);
		// Sonnet input re-priced from $3 to $2.50 an hour later; Haiku output withdrawn.
		ReportFixtures.insertSpendHour(this.db, tenant, ten, SONNET, "input", "3", 1_000_000, "3");
		ReportFixtures.insertSpendHour(this.db, tenant, eleven, SONNET, "input", "3", -1_000_000, "-3");
		ReportFixtures.insertSpendHour(this.db, tenant, eleven, SONNET, "input", "2.5", 1_000_000, "2.5");
		ReportFixtures.insertSpendHour(this.db, tenant, ten, HAIKU, "output", "5", 200_000, "1");
		ReportFixtures.insertSpendHour(this.db, tenant, eleven, HAIKU, "output", "5", -200_000, "-1");
		Map<String, Object> days = getJson(asTenant(tenant), uri("/v1/spend", "starting_at", "2026-10-01T00:00:00Z",
				"ending_at", "2026-10-02T00:00:00Z", "group_by", "model"));
		assertThat(list(list(days, "data").get(0), "results")).extracting(SpendReportIntegrationTests::describe)
			.containsExactly("null|claude-sonnet-4-5|null|2.50|1000000|false");
		Map<String, Object> hours = getJson(asTenant(tenant), uri("/v1/spend", "starting_at", "2026-10-01T10:00:00Z",
				"ending_at", "2026-10-01T12:00:00Z", "bucket_width", "1h", "group_by", "model"));
		assertThat(list(list(hours, "data").get(1), "results")).extracting(SpendReportIntegrationTests::describe)
			.containsExactly("null|claude-haiku-4-5|null|-1.00|-200000|false",
					"null|claude-sonnet-4-5|null|-0.50|0|false");
	}

	@Test
	void pagesThroughTheRangeAndTheAmountsAddUp() {
		String tenant = newTenant("spend-pages");
		Instant oct2 = Instant.parse("2026-10-02T00:00:00Z");
		List<MeteredUsage> deltas = new ArrayList<>();
		for (int hour = 0; hour < 5; hour++) {
			// 0.30, 0.60, 0.90, 1.20, 1.50: 4.50 in all.
			deltas.add(delta(tenant, "key-1", SONNET, ServiceTier.STANDARD, oct2.plusSeconds(3_600L * hour + 60),
					tokens(100_000L * (hour + 1), 0)));
		}
		publish(deltas.toArray(MeteredUsage[]::new));
		String[] query = { "starting_at", "2026-10-02T00:00:00Z", "ending_at", "2026-10-02T05:00:00Z", "bucket_width",
				"1h", "limit", "2" };
		await().atMost(PRICED_WITHIN)
			.untilAsserted(() -> assertThat(list(getJson(asTenant(tenant),
					uri("/v1/spend", "starting_at", "2026-10-02T00:00:00Z", "ending_at", "2026-10-02T05:00:00Z",
							"bucket_width", "1h")),
					"data"))
				.allSatisfy((bucket) -> assertThat(list(bucket, "results")).hasSize(1)));
		List<Integer> pageSizes = new ArrayList<>();
		List<Object> hasMore = new ArrayList<>();
		List<Object> starts = new ArrayList<>();
		BigDecimal total = BigDecimal.ZERO;
		String page = null;
		do {
			Map<String, Object> report = getJson(asTenant(tenant),
					uri("/v1/spend", (page != null) ? with(query, "page", page) : query));
			List<Map<String, Object>> data = list(report, "data");
			pageSizes.add(data.size());
			hasMore.add(report.get("has_more"));
			for (Map<String, Object> bucket : data) {
				starts.add(bucket.get("starting_at"));
				for (Map<String, Object> result : list(bucket, "results")) {
					total = total.add(new BigDecimal((String) result.get("amount")));
				}
			}
			page = (String) report.get("next_page");
			assertThat(page != null).isEqualTo(report.get("has_more"));
		}
		while (page != null);
		assertThat(pageSizes).containsExactly(2, 2, 1);
		assertThat(hasMore).containsExactly(true, true, false);
		assertThat(starts).containsExactly("2026-10-02T00:00:00Z", "2026-10-02T01:00:00Z", "2026-10-02T02:00:00Z",
				"2026-10-02T03:00:00Z", "2026-10-02T04:00:00Z");
		assertThat(total).isEqualByComparingTo("4.50");

		String next = (String) getJson(asTenant(tenant), uri("/v1/spend", query)).get("next_page");
		assertThat(next).isNotNull();
		ReportFixtures.expectInvalid(asTenant(tenant), uri("/v1/spend", with(query, "page", next, "group_by", "model")),
				"page");
		ReportFixtures.expectInvalid(asTenant(newTenant("spend-pages-other")),
				uri("/v1/spend", with(query, "page", next)), "page");
	}

	@Test
	void isScopedToTheCallersTenant() {
		String tenant = newTenant("spend-scope");
		publish(delta(tenant, "key-1", SONNET, ServiceTier.STANDARD, OCT_1.plusSeconds(60), tokens(1_000_000, 0)));
		String[] day = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-02T00:00:00Z" };
		await().atMost(PRICED_WITHIN)
			.untilAsserted(() -> assertThat(
					list(list(getJson(FrontDoor.asAdmin(this.port), uri("/v1/spend", with(day, "tenant_id", tenant))),
							"data")
						.get(0), "results"))
				.extracting(SpendReportIntegrationTests::describe)
				.containsExactly("null|null|null|3.00|1000000|false"));
		assertThat(
				list(list(getJson(asTenant(tenant), uri("/v1/spend", with(day, "tenant_id", tenant))), "data").get(0),
						"results"))
			.hasSize(1);
		assertThat(list(list(getJson(asTenant(newTenant("spend-scope-other")), uri("/v1/spend", day)), "data").get(0),
				"results"))
			.isEmpty();
		ReportFixtures.expectTenantScoping(this.port, "/v1/spend", tenant);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			bucket_width=1m                                                          | bucket_width
			bucket_width=1w                                                          | bucket_width
			group_by=provider                                                        | group_by
			group_by=model,workspace_id                                              | group_by
			ending_at=2026-09-30T00:00:00Z                                           | ending_at
			ending_at=2026-10-01T00:00:00Z                                           | ending_at
			ending_at=2027-10-03T00:00:00Z                                           | ending_at
			bucket_width=1h&ending_at=2026-11-01T01:00:00Z                           | ending_at
			bucket_width=1h&ending_at=2026-10-01T00:30:00Z                           | ending_at
			ending_at=next week                                                      | ending_at
			limit=0                                                                  | limit
			limit=367                                                                | limit
			bucket_width=1h&limit=745                                                | limit
			limit=many                                                               | limit
			page=bm90IGEgdG9rZW4                                                     | page
			""")
	void rejectsInvalidParameter(String query, String param) {
		List<String> pairs = new ArrayList<>(List.of("starting_at", "2026-10-01T00:00:00Z"));
		for (String pair : query.split("&")) {
			pairs.add(pair.substring(0, pair.indexOf('=')));
			pairs.add(pair.substring(pair.indexOf('=') + 1));
		}
		ReportFixtures.expectInvalid(asTenant(newTenant("spend-invalid")),
				uri("/v1/spend", pairs.toArray(String[]::new)), param);
	}

	@Test
	void rejectsAMissingOrUnparseableStartingAt() {
		WebTestClient client = asTenant(newTenant("spend-invalid"));
		ReportFixtures.expectInvalid(client, uri("/v1/spend", "bucket_width", "1d"), "starting_at");
		ReportFixtures.expectInvalid(client, uri("/v1/spend", "starting_at", "2026-10-01"), "starting_at");
		ReportFixtures.expectInvalid(client, uri("/v1/spend", "starting_at", "2026-10-01T12:00:00Z"), "starting_at");
	}

	@Test
	void defaultsToLimitBucketsAndNoMorePages() {
		Map<String, Object> report = getJson(asTenant(newTenant("spend-default")),
				uri("/v1/spend", "starting_at", "2026-10-01T00:00:00Z"));
		assertThat(list(report, "data")).hasSize(7);
		assertThat(report).containsEntry("has_more", false).containsEntry("next_page", null);
	}

	private WebTestClient asTenant(String tenant) {
		return FrontDoor.asTenant(this.port, tenant, "key-of-" + tenant);
	}

	private static String describe(Map<String, Object> result) {
		assertThat(result).containsEntry("currency", "USD");
		return result.get("api_key_id") + "|" + result.get("model") + "|" + result.get("token_kind") + "|"
				+ result.get("amount") + "|" + result.get("quantity") + "|" + result.get("unpriced");
	}

	private static String[] with(String[] pairs, String... more) {
		List<String> all = new ArrayList<>(List.of(pairs));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

}
