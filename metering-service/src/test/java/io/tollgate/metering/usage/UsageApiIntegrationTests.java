package io.tollgate.metering.usage;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.metering.MeteringIntegrationTest;
import io.tollgate.testsupport.TestClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import static io.tollgate.testsupport.ApiCalls.expectError;
import static io.tollgate.testsupport.ApiCalls.expectInvalidParameter;
import static io.tollgate.testsupport.ApiCalls.getJson;
import static io.tollgate.testsupport.ApiCalls.list;
import static io.tollgate.testsupport.ApiCalls.map;
import static io.tollgate.testsupport.ApiCalls.uri;
import static org.assertj.core.api.Assertions.assertThat;

@MeteringIntegrationTest
class UsageApiIntegrationTests {

	private static final String INTERNAL_TOKEN = MeteringIntegrationTest.INTERNAL_TOKEN;

	private static final Instant OCT_1 = Instant.parse("2026-10-01T00:00:00Z");

	private static final Instant OCT_2 = Instant.parse("2026-10-02T00:00:00Z");

	private static final Instant OCT_3 = Instant.parse("2026-10-03T00:00:00Z");

	@LocalServerPort
	private int port;

	@Autowired
	private DatabaseClient db;

	@Test
	void reportsEveryCountOfABucketInSnakeCase() {
		String tenant = newTenant();
		insert("usage_day", tenant, OCT_1, "key-a", "anthropic", "claude-sonnet-4-5", "standard", "standard", 1);
		asTenant(tenant).get()
			.uri(usage("starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-02T00:00:00Z"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"data": [{"starting_at": "2026-10-01T00:00:00Z", "ending_at": "2026-10-02T00:00:00Z",
					  "results": [{"requests": 10, "successes": 7, "upstream_errors": 2, "client_aborts": 1,
					    "uncached_input_tokens": 1000, "output_tokens": 300,
					    "cache_creation": {"ephemeral_5m_input_tokens": 50, "ephemeral_1h_input_tokens": 60},
					    "cache_read_input_tokens": 400, "reasoning_tokens": 30,
					    "server_tool_uses": 3}]}],
					 "has_more": false, "next_page": null}""", JsonCompareMode.STRICT);
	}

	@Test
	void totalsEveryBucketOfTheRangeAndListsEmptyBuckets() {
		String tenant = newTenant();
		insert("usage_day", tenant, OCT_1, "key-a", "anthropic", "claude-sonnet-4-5", "standard", "standard", 1);
		insert("usage_day", tenant, OCT_1, "key-b", "openai", "gpt-5", "priority", "long", 2);
		insert("usage_day", tenant, OCT_3, "key-a", "gemini", "gemini-2.5-pro", "batch", "standard", 5);
		insert("usage_day", newTenant(), OCT_1, "key-a", "anthropic", "claude-sonnet-4-5", "standard", "standard", 100);
		Map<String, Object> report = get(asTenant(tenant), "starting_at", "2026-10-01T00:00:00Z", "ending_at",
				"2026-10-04T00:00:00Z", "bucket_width", "1d");
		List<Map<String, Object>> data = list(report, "data");
		assertThat(data).extracting((bucket) -> bucket.get("starting_at") + "/" + bucket.get("ending_at"))
			.containsExactly("2026-10-01T00:00:00Z/2026-10-02T00:00:00Z", "2026-10-02T00:00:00Z/2026-10-03T00:00:00Z",
					"2026-10-03T00:00:00Z/2026-10-04T00:00:00Z");
		assertThat(list(data.get(0), "results")).singleElement().satisfies((result) -> {
			assertThat(result).doesNotContainKeys("api_key_id", "model", "provider", "service_tier", "context_tier");
			assertThat(counts(result)).isEqualTo(counts(3));
		});
		assertThat(list(data.get(1), "results")).isEmpty();
		assertThat(list(data.get(2), "results")).singleElement()
			.satisfies((result) -> assertThat(counts(result)).isEqualTo(counts(5)));
		assertThat(report).containsEntry("has_more", false).containsEntry("next_page", null);
	}

	@Test
	void groupsByTheRequestedDimensions() {
		String tenant = newTenant();
		insert("usage_hour", tenant, OCT_1, "key-b", "openai", "gpt-5", "standard", "standard", 1);
		insert("usage_hour", tenant, OCT_1, "key-a", "openai", "gpt-5", "standard", "long", 2);
		insert("usage_hour", tenant, OCT_1, "key-a", "anthropic", "claude-sonnet-4-5", "batch", "standard", 4);
		insert("usage_hour", tenant, OCT_1.plusSeconds(3600), "key-a", "openai", "gpt-5", "flex", "standard", 8);
		Map<String, Object> byKeyAndModel = get(asTenant(tenant), "starting_at", "2026-10-01T00:00:00Z", "ending_at",
				"2026-10-01T02:00:00Z", "bucket_width", "1h", "group_by", "model", "group_by[]", "api_key_id");
		List<Map<String, Object>> data = list(byKeyAndModel, "data");
		assertThat(list(data.get(0), "results"))
			.extracting((result) -> result.get("api_key_id") + "|" + result.get("model") + "|" + result.get("requests"))
			.containsExactly("key-a|claude-sonnet-4-5|40", "key-a|gpt-5|20", "key-b|gpt-5|10");
		assertThat(list(data.get(0), "results"))
			.allSatisfy((result) -> assertThat(result).doesNotContainKeys("provider", "service_tier", "context_tier"));
		assertThat(list(data.get(1), "results")).extracting((result) -> result.get("requests")).containsExactly(80);

		Map<String, Object> byTiers = get(asTenant(tenant), "starting_at", "2026-10-01T00:00:00Z", "ending_at",
				"2026-10-01T01:00:00Z", "bucket_width", "1h", "group_by", "provider,service_tier,context_tier");
		assertThat(list(list(byTiers, "data").get(0), "results"))
			.extracting((result) -> result.get("provider") + "|" + result.get("service_tier") + "|"
					+ result.get("context_tier") + "|" + result.get("requests"))
			.containsExactly("anthropic|batch|standard|40", "openai|standard|long|20", "openai|standard|standard|10");
	}

	@Test
	void filtersByApiKeyIdsAndModels() {
		String tenant = newTenant();
		insert("usage_day", tenant, OCT_1, "key-a", "openai", "gpt-5", "standard", "standard", 1);
		insert("usage_day", tenant, OCT_1, "key-a", "openai", "gpt-5-mini", "standard", "standard", 2);
		insert("usage_day", tenant, OCT_1, "key-b", "openai", "gpt-5", "standard", "standard", 4);
		insert("usage_day", tenant, OCT_1, "key-c", "anthropic", "claude-haiku-4-5", "standard", "standard", 8);
		assertThat(requestsOfFirstBucket(tenant, "api_key_ids", "key-a")).isEqualTo(30);
		assertThat(requestsOfFirstBucket(tenant, "api_key_ids[]", "key-a", "api_key_ids[]", "key-c")).isEqualTo(110);
		assertThat(requestsOfFirstBucket(tenant, "models", "gpt-5")).isEqualTo(50);
		assertThat(requestsOfFirstBucket(tenant, "models", "gpt-5,claude-haiku-4-5")).isEqualTo(130);
		assertThat(requestsOfFirstBucket(tenant, "api_key_ids", "key-a", "models", "gpt-5")).isEqualTo(10);
		assertThat(requestsOfFirstBucket(tenant, "api_key_ids", "key-z")).isNull();
		assertThat(requestsOfFirstBucket(tenant)).isEqualTo(150);
	}

	@Test
	void readsMinuteBucketsFromTheMinuteTable() {
		String tenant = newTenant();
		// Minute buckets are kept for 14 days by default: a day in that window.
		Instant day = TestClock.shared()
			.instant()
			.truncatedTo(java.time.temporal.ChronoUnit.DAYS)
			.minus(java.time.Duration.ofDays(2));
		insert("usage_minute", tenant, day.plusSeconds(60), "key-a", "openai", "gpt-5", "standard", "standard", 1);
		insert("usage_hour", tenant, day, "key-a", "openai", "gpt-5", "standard", "standard", 7);
		Map<String, Object> report = get(asTenant(tenant), "starting_at", day.toString(), "bucket_width", "1m", "limit",
				"3");
		List<Map<String, Object>> data = list(report, "data");
		assertThat(data).extracting((bucket) -> bucket.get("starting_at"))
			.containsExactly(day.toString(), day.plusSeconds(60).toString(), day.plusSeconds(120).toString());
		assertThat(data).extracting((bucket) -> list(bucket, "results").size()).containsExactly(0, 1, 0);
		assertThat(list(data.get(1), "results").getFirst()).containsEntry("requests", 10);
		assertThat(report).containsEntry("has_more", false);
	}

	@Test
	void rejectsMinuteBucketsOlderThanTheirRetention() {
		expectError(asTenant(newTenant()).get()
			.uri("/v1/usage?starting_at=2026-10-01T00:00:00Z&bucket_width=1m")
			.exchange(), HttpStatus.BAD_REQUEST, "invalid_parameter").jsonPath("$.error.param")
			.isEqualTo("starting_at")
			.jsonPath("$.error.message")
			.value((message) -> assertThat(message.toString()).contains("kept for 14 days"));
	}

	@Test
	void pagesThroughTheRangeAndTheTotalsAddUp() {
		String tenant = newTenant();
		for (int hour = 0; hour < 5; hour++) {
			insert("usage_hour", tenant, OCT_1.plusSeconds(3600L * hour), "key-a", "openai", "gpt-5", "standard",
					"standard", hour + 1);
			insert("usage_hour", tenant, OCT_1.plusSeconds(3600L * hour), "key-b", "openai", "gpt-5", "standard",
					"standard", 10);
		}
		String[] query = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-01T05:00:00Z", "bucket_width",
				"1h", "group_by", "api_key_id", "limit", "2" };
		List<Integer> pageSizes = new ArrayList<>();
		List<Boolean> hasMore = new ArrayList<>();
		List<Object> starts = new ArrayList<>();
		List<Long> pagedTotals = new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
		String page = null;
		do {
			Map<String, Object> report = get(asTenant(tenant), (page != null) ? with(query, "page", page) : query);
			List<Map<String, Object>> data = list(report, "data");
			pageSizes.add(data.size());
			hasMore.add((Boolean) report.get("has_more"));
			for (Map<String, Object> bucket : data) {
				starts.add(bucket.get("starting_at"));
				for (Map<String, Object> result : list(bucket, "results")) {
					add(pagedTotals, counts(result));
				}
			}
			page = (String) report.get("next_page");
			assertThat(page != null).isEqualTo(report.get("has_more"));
		}
		while (page != null);
		assertThat(pageSizes).containsExactly(2, 2, 1);
		assertThat(hasMore).containsExactly(true, true, false);
		assertThat(starts).containsExactly("2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z",
				"2026-10-01T03:00:00Z", "2026-10-01T04:00:00Z");

		Map<String, Object> unpaged = get(asTenant(tenant), "starting_at", "2026-10-01T00:00:00Z", "ending_at",
				"2026-10-01T05:00:00Z", "bucket_width", "1h", "limit", "5");
		List<Long> unpagedTotals = new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
		list(unpaged, "data").forEach((bucket) -> add(unpagedTotals, counts(list(bucket, "results").getFirst())));
		assertThat(pagedTotals).isEqualTo(unpagedTotals).isEqualTo(counts(15 + 50));
		assertThat(unpaged).containsEntry("has_more", false);
	}

	@Test
	void rejectsAPageTokenSentWithOtherParameters() {
		String tenant = newTenant();
		String[] query = { "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-03T00:00:00Z", "bucket_width",
				"1h" };
		String page = (String) get(asTenant(tenant), query).get("next_page");
		assertThat(page).isNotNull();
		expectInvalid(asTenant(tenant), "page", with(with(query, "page", page), "models", "gpt-5"));
		expectInvalid(asTenant(newTenant()), "page", with(query, "page", page));
		expectInvalid(asTenant(tenant), "page", with(query, "page", page + "x"));
		expectInvalid(asTenant(tenant), "page", with(query, "page", "%%%"));
		assertThat(list(get(asTenant(tenant), with(query, "page", page)), "data").getFirst())
			.containsEntry("starting_at", "2026-10-02T00:00:00Z");
	}

	@Test
	void defaultsEndingAtToLimitBuckets() {
		Map<String, Object> report = get(asTenant(newTenant()), "starting_at", "2026-10-01T00:00:00Z", "bucket_width",
				"1h", "limit", "3");
		assertThat(list(report, "data")).hasSize(3);
		assertThat(report).containsEntry("has_more", false).containsEntry("next_page", null);
		assertThat(list(get(asTenant(newTenant()), "starting_at", "2026-10-01T00:00:00Z"), "data")).hasSize(7);
	}

	@Test
	void tenantSeesOnlyItsOwnUsage() {
		String tenant = newTenant();
		String other = newTenant();
		insert("usage_day", other, OCT_1, "key-a", "openai", "gpt-5", "standard", "standard", 1);
		Map<String, Object> report = get(asTenant(tenant), "starting_at", "2026-10-01T00:00:00Z", "ending_at",
				"2026-10-02T00:00:00Z");
		assertThat(list(list(report, "data").getFirst(), "results")).isEmpty();
		assertThat(requestsOfFirstBucket(other)).isEqualTo(10);
		assertThat(requestsOfFirstBucket(other, "tenant_id", other)).isEqualTo(10);
	}

	@Test
	void tenantCannotNameAnotherTenant() {
		String tenant = newTenant();
		insert("usage_day", tenant, OCT_1, "key-a", "openai", "gpt-5", "standard", "standard", 1);
		expectError(asTenant(newTenant()).get()
			.uri(usage("starting_at", "2026-10-01T00:00:00Z", "tenant_id", tenant))
			.exchange(), HttpStatus.FORBIDDEN, "tenant_forbidden").jsonPath("$.error.type")
			.isEqualTo("permission_error");
	}

	@Test
	void adminMustNameATenant() {
		expectError(asAdmin().get().uri(usage("starting_at", "2026-10-01T00:00:00Z")).exchange(),
				HttpStatus.BAD_REQUEST, "tenant_required")
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.param")
			.isEqualTo("tenant_id");
	}

	@Test
	void adminReadsTheNamedTenant() {
		String tenant = newTenant();
		insert("usage_day", tenant, OCT_2, "key-a", "openai", "gpt-5", "standard", "standard", 3);
		insert("usage_day", newTenant(), OCT_2, "key-a", "openai", "gpt-5", "standard", "standard", 1);
		Map<String, Object> report = get(asAdmin(), "tenant_id", tenant, "starting_at", "2026-10-02T00:00:00Z",
				"ending_at", "2026-10-03T00:00:00Z", "group_by", "api_key_id");
		assertThat(list(list(report, "data").getFirst(), "results")).singleElement()
			.satisfies(
					(result) -> assertThat(result).containsEntry("api_key_id", "key-a").containsEntry("requests", 30));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			group_by=model,workspace_id                                              | group_by
			ending_at=2026-09-30T00:00:00Z                                           | ending_at
			ending_at=2026-10-01T00:00:00Z                                           | ending_at
			ending_at=2027-10-03T00:00:00Z                                           | ending_at
			bucket_width=1m&ending_at=2026-10-02T00:01:00Z                           | ending_at
			bucket_width=1h&ending_at=2026-11-01T01:00:00Z                           | ending_at
			ending_at=next week                                                      | ending_at
			bucket_width=1h&ending_at=2026-10-01T00:30:00Z                           | ending_at
			limit=0                                                                  | limit
			limit=367                                                                | limit
			bucket_width=1m&limit=1441                                               | limit
			limit=many                                                               | limit
			bucket_width=1w                                                          | bucket_width
			page=bm90IGEgdG9rZW4                                                     | page
			""")
	void rejectsInvalidParameter(String query, String param) {
		List<String> pairs = new ArrayList<>(List.of("starting_at", "2026-10-01T00:00:00Z"));
		for (String pair : query.split("&")) {
			pairs.add(pair.substring(0, pair.indexOf('=')));
			pairs.add(pair.substring(pair.indexOf('=') + 1));
		}
		expectInvalid(asTenant(newTenant()), param, pairs.toArray(String[]::new));
	}

	@Test
	void rejectsAMissingOrUnparseableStartingAt() {
		expectInvalid(asTenant(newTenant()), "starting_at", "bucket_width", "1d");
		expectInvalid(asTenant(newTenant()), "starting_at", "starting_at", "2026-10-01");
		expectInvalid(asTenant(newTenant()), "starting_at", "starting_at", "2026-10-01T12:00:00Z");
	}

	private void expectInvalid(WebTestClient client, String param, String... pairs) {
		expectInvalidParameter(client.get().uri(usage(pairs)).exchange(), param);
	}

	private @Nullable Object requestsOfFirstBucket(String tenant, String... filters) {
		Map<String, Object> report = get(asTenant(tenant),
				with(filters, "starting_at", "2026-10-01T00:00:00Z", "ending_at", "2026-10-02T00:00:00Z"));
		List<Map<String, Object>> results = list(list(report, "data").getFirst(), "results");
		return results.isEmpty() ? null : results.getFirst().get("requests");
	}

	private Map<String, Object> get(WebTestClient client, String... pairs) {
		return getJson(client, usage(pairs));
	}

	private static Function<UriBuilder, URI> usage(String... pairs) {
		return uri("/v1/usage", pairs);
	}

	private WebTestClient asTenant(String tenant) {
		return client().mutate()
			.defaultHeader(FrontDoorHeaders.CALLER, FrontDoorHeaders.TENANT_CALLER)
			.defaultHeader(FrontDoorHeaders.TENANT_ID, tenant)
			.defaultHeader(FrontDoorHeaders.API_KEY_ID, "key-of-" + tenant)
			.build();
	}

	private WebTestClient asAdmin() {
		return client().mutate().defaultHeader(FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER).build();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeader(FrontDoorHeaders.INTERNAL_TOKEN, INTERNAL_TOKEN)
			.build();
	}

	private static String newTenant() {
		return "t-" + UUID.randomUUID();
	}

	/**
	 * Inserts one aggregate row whose counts are distinct multiples of {@code base} (see
	 * {@link #counts(long)}), so that a column read into the wrong field shows.
	 */
	private void insert(String table, String tenant, Instant bucketStart, String apiKeyId, String provider,
			String model, String serviceTier, String contextTier, long base) {
		List<Long> counts = counts(base);
		this.db.sql("INSERT INTO " + table + " (tenant_id, bucket_start, api_key_id, provider, model, service_tier, "
				+ "context_tier, requests, successes, upstream_errors, client_aborts, input_tokens, output_tokens, "
				+ "cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, reasoning_tokens, "
				+ "server_tool_uses) VALUES (:tenant, :bucket, :key, :provider, :model, :serviceTier, :contextTier, "
				+ ":c0, :c1, :c2, :c3, :c4, :c5, :c6, :c7, :c8, :c9, :c10)")
			.bind("tenant", tenant)
			.bind("bucket", bucketStart.atOffset(ZoneOffset.UTC))
			.bind("key", apiKeyId)
			.bind("provider", provider)
			.bind("model", model)
			.bind("serviceTier", serviceTier)
			.bind("contextTier", contextTier)
			.bind("c0", counts.get(0))
			.bind("c1", counts.get(1))
			.bind("c2", counts.get(2))
			.bind("c3", counts.get(3))
			.bind("c4", counts.get(4))
			.bind("c5", counts.get(5))
			.bind("c6", counts.get(6))
			.bind("c7", counts.get(7))
			.bind("c8", counts.get(8))
			.bind("c9", counts.get(9))
			.bind("c10", counts.get(10))
			.then()
			.block();
	}

	/**
	 * The counts of a row inserted with {@code base}, in table column order: requests,
	 * successes, upstream errors, client aborts, input, output, 5m and 1h cache writes,
	 * cache reads, reasoning, server tool uses.
	 */
	private static List<Long> counts(long base) {
		return List.of(10 * base, 7 * base, 2 * base, base, 1000 * base, 300 * base, 50 * base, 60 * base, 400 * base,
				30 * base, 3 * base);
	}

	/** The counts of a result, in the order of {@link #counts(long)}. */
	private static List<Long> counts(Map<String, Object> result) {
		Map<String, Object> cacheCreation = map(result, "cache_creation");
		return List.of(number(result, "requests"), number(result, "successes"), number(result, "upstream_errors"),
				number(result, "client_aborts"), number(result, "uncached_input_tokens"),
				number(result, "output_tokens"), number(cacheCreation, "ephemeral_5m_input_tokens"),
				number(cacheCreation, "ephemeral_1h_input_tokens"), number(result, "cache_read_input_tokens"),
				number(result, "reasoning_tokens"), number(result, "server_tool_uses"));
	}

	private static void add(List<Long> totals, List<Long> counts) {
		for (int i = 0; i < totals.size(); i++) {
			totals.set(i, totals.get(i) + counts.get(i));
		}
	}

	private static String[] with(String[] pairs, String... more) {
		List<String> all = new ArrayList<>(List.of(pairs));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	private static long number(Map<String, Object> object, String name) {
		Object value = object.get(name);
		assertThat(value).as(name).isInstanceOf(Number.class);
		return ((Number) value).longValue();
	}

}
