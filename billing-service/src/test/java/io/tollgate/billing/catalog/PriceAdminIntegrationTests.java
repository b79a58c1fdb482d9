package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.BillingDatabase;
import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.testsupport.ApiCalls.expectError;
import static io.tollgate.testsupport.ApiCalls.expectInvalidParameter;
import static io.tollgate.testsupport.ApiCalls.getJson;
import static io.tollgate.testsupport.ApiCalls.jsonObject;
import static io.tollgate.testsupport.ApiCalls.list;
import static io.tollgate.testsupport.ApiCalls.map;
import static io.tollgate.testsupport.ApiCalls.postJson;
import static org.assertj.core.api.Assertions.assertThat;

@BillingIntegrationTest
class PriceAdminIntegrationTests {

	private static final String SEED_SOURCE = "catalog:prices.json@2026-11-23";

	@LocalServerPort
	private int port;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private CatalogSeeder seeder;

	@Autowired
	private PriceBook book;

	@Autowired
	private MeterRegistry registry;

	@Test
	void loadsTheSeedCatalogOnceAndIdempotently() throws Exception {
		int expected = CatalogFileTests.shipped().prices().size();
		assertThat(BillingDatabase.count(this.db, "SELECT count(*) FROM prices WHERE source = '" + SEED_SOURCE + "'"))
			.isEqualTo(expected);
		// Loading again, as a restart or a second instance would: nothing new, nothing
		// changed.
		assertThat(this.seeder.load()).isZero();
		assertThat(BillingDatabase.count(this.db, "SELECT count(*) FROM prices WHERE source = '" + SEED_SOURCE + "'"))
			.isEqualTo(expected);
		Quote quote = this.book.quote(Provider.ANTHROPIC, "claude-sonnet-4-5-20250929", ServiceTier.BATCH,
				ContextTier.LONG, TestClock.shared().instant());
		assertThat(quote.unpriced()).isFalse();
		assertThat(quote.price(TokenKind.CACHE_READ).usdPerMtok()).isEqualByComparingTo("0.30");
		assertThat(quote.price(TokenKind.CACHE_READ).priceId()).isNotNull();
	}

	@Test
	void listsThePricesInForceOfAModelByReportedName() {
		Map<String, Object> list = getJson(asAdmin(),
				"/admin/v1/prices?provider=anthropic&model=claude-sonnet-4-5-20250929");
		List<Map<String, Object>> data = list(list, "data");
		assertThat(data).singleElement().satisfies((model) -> {
			assertThat(model).containsEntry("provider", "anthropic").containsEntry("model", "claude-sonnet-4-5");
			List<Map<String, Object>> tiers = list(model, "tiers");
			assertThat(tiers).extracting((tier) -> tier.get("service_tier") + "/" + tier.get("context_tier"))
				.containsExactly("standard/standard", "standard/long", "batch/standard", "batch/long",
						"priority/standard", "priority/long", "flex/standard", "flex/long");
			Map<String, Object> input = map(map(tiers.get(0), "prices"), "input");
			assertThat(input).containsEntry("usd_per_mtok", "3.00")
				.containsEntry("effective_from", "2025-09-29T00:00:00Z")
				.containsEntry("source", SEED_SOURCE)
				.containsKey("price_id");
			assertThat(map(map(tiers.get(3), "prices"), "cache_read")).containsEntry("usd_per_mtok", "0.30");
			assertThat(map(tiers.get(0), "prices")).containsOnlyKeys("input", "output", "cache_write_5m",
					"cache_write_1h", "cache_read");
		});

		Map<String, Object> all = getJson(asAdmin(), "/admin/v1/prices");
		assertThat(list(all, "data")).extracting((model) -> model.get("provider") + " " + model.get("model"))
			.contains("anthropic claude-opus-4-5", "openai gpt-4.1-nano", "gemini gemini-2.5-flash-lite");
		// Before o3's price cut, its launch price was in force.
		Map<String, Object> o3 = getJson(asAdmin(), "/admin/v1/prices?model=o3&at=2025-05-01T00:00:00Z");
		assertThat(map(map(list(list(o3, "data").getFirst(), "tiers").getFirst(), "prices"), "output"))
			.containsEntry("usd_per_mtok", "40.00");
	}

	@Test
	void addsAFutureVersionThatQuotesPickOnlyFromItsEffectiveTime() {
		String model = "claude-test-" + UUID.randomUUID().toString().substring(0, 8);
		Instant first = TestClock.shared().instant().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
		Instant second = first.plus(Duration.ofDays(1));

		Map<String, Object> added = jsonObject(post(asAdmin(), body(model, first, """
				{"input": "2.00", "output": "10", "cache_write_5m": "2.50", "cache_write_1h": "4",
				 "cache_read": "0.20"}""")), HttpStatus.CREATED);
		assertThat(added).containsEntry("model", model)
			.containsEntry("effective_from", first.toString())
			.containsEntry("source", "admin: test price");
		assertThat(map(map(added, "prices"), "input")).containsEntry("usd_per_mtok", "2.00").containsKey("price_id");

		post(asAdmin(), body(model, second, "{\"input\": \"1.50\"}")).expectStatus().isCreated();

		// Before its first version the model is unknown: priced by the fallback, flagged.
		assertThat(quote(model, first.minusSeconds(1)).unpriced()).isTrue();
		Quote v1 = quote(model + "-20261201", first);
		assertThat(v1.unpriced()).isFalse();
		assertThat(v1.pricedModel()).isEqualTo(model);
		assertThat(v1.price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("2");
		assertThat(quote(model, second.minusNanos(1000)).price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("2");
		Quote v2 = quote(model, second);
		assertThat(v2.price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("1.50");
		// Kinds the second version left out keep the first version's price and id.
		assertThat(v2.price(TokenKind.OUTPUT)).isEqualTo(v1.price(TokenKind.OUTPUT));

		Map<String, Object> history = getJson(asAdmin(), "/admin/v1/prices/history?provider=anthropic&model=" + model);
		assertThat(list(history, "data"))
			.extracting((version) -> version.get("effective_from") + " " + map(version, "prices").keySet())
			.containsExactly(first + " [input, output, cache_write_5m, cache_write_1h, cache_read]",
					second + " [input]");

		// The same version again: history is never edited.
		post(asAdmin(), body(model, second, "{\"input\": \"1.25\"}")).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("price_version_exists");
		assertThat(quote(model, second).price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("1.50");
	}

	@Test
	void refusesAnEffectiveTimeInThePastAsACorrection() {
		post(asAdmin(),
				body("claude-sonnet-4-5", TestClock.shared().instant().minus(Duration.ofHours(1)),
						"{\"input\": \"1\"}"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("effective_from_in_past")
			.jsonPath("$.error.param")
			.isEqualTo("effective_from")
			.jsonPath("$.error.message")
			.value((message) -> assertThat((String) message).contains("correction"));
	}

	@Test
	void refusesInvalidVersionsNamingTheParameter() {
		Instant future = TestClock.shared().instant().plus(Duration.ofDays(30));
		expectInvalid(body("claude-sonnet-4-5", future, "{\"input\": \"-1\"}"), "prices.input");
		expectInvalid(body("claude-sonnet-4-5", future, "{\"input\": 3.5e0, \"tokens\": \"1\"}"), "prices.tokens");
		expectInvalid(body("claude-sonnet-4-5", future, "{}"), "prices");
		expectInvalid(body("Claude Sonnet", future, "{\"input\": \"1\"}"), "model");
		expectInvalid(body("claude-sonnet-4-5", future, "{\"input\": \"1\"}").replace("\"standard\"", "\"premium\""),
				"service_tier");
		expectInvalid(body("claude-sonnet-4-5", future, "{\"input\": \"1\"}").replace("\"anthropic\"", "\"mistral\""),
				"provider");
		expectInvalid(body("claude-sonnet-4-5", future, "{\"input\": \"1\"}").replace(future.toString(), "tomorrow"),
				"effective_from");
		// A new model's first version must price every kind.
		expectInvalid(
				body("claude-brand-new-" + UUID.randomUUID().toString().substring(0, 8), future, "{\"input\": \"1\"}"),
				"prices");
		expectInvalidParameter(asAdmin().get().uri("/admin/v1/prices?provider=mistral").exchange(), "provider");
		expectInvalidParameter(asAdmin().get().uri("/admin/v1/prices?at=yesterday").exchange(), "at");
	}

	@Test
	void refusesTenantsAndCallersWithoutTheInternalCredential() {
		WebTestClient tenant = FrontDoor.asTenant(this.port, "tenant-a", "key-a");
		for (String path : List.of("/admin/v1/prices", "/admin/v1/prices/history")) {
			expectError(tenant.get().uri(path).exchange(), HttpStatus.FORBIDDEN, "admin_required");
			client().get().uri(path).exchange().expectStatus().isUnauthorized();
		}
		expectError(post(tenant,
				body("claude-sonnet-4-5", TestClock.shared().instant().plus(Duration.ofDays(1)), "{\"input\": \"0\"}")),
				HttpStatus.FORBIDDEN, "admin_required");
		post(client(),
				body("claude-sonnet-4-5", TestClock.shared().instant().plus(Duration.ofDays(1)), "{\"input\": \"0\"}"))
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void countsUnpricedQuotesByProvider() {
		double before = unpricedCount("gemini");
		Quote quote = this.book.quote(Provider.GEMINI, "gemini-unknown-" + UUID.randomUUID(), ServiceTier.STANDARD,
				ContextTier.STANDARD, TestClock.shared().instant());
		assertThat(quote.unpriced()).isTrue();
		assertThat(quote.pricedModel()).isEqualTo("gemini-2.5-pro");
		assertThat(quote.price(TokenKind.OUTPUT).usdPerMtok()).isEqualByComparingTo(new BigDecimal("10"));
		assertThat(unpricedCount("gemini")).isEqualTo(before + 1);
	}

	private double unpricedCount(String provider) {
		return this.registry.get("tollgate.billing.unpriced").tag("provider", provider).counter().count();
	}

	private Quote quote(String model, Instant at) {
		return this.book.quote(Provider.ANTHROPIC, model, ServiceTier.STANDARD, ContextTier.STANDARD, at);
	}

	private static String body(String model, Instant effectiveFrom, String prices) {
		return """
				{"provider": "anthropic", "model": "%s", "service_tier": "standard", "context_tier": "standard",
				 "effective_from": "%s", "prices": %s, "reason": "test price"}""".formatted(model, effectiveFrom,
				prices);
	}

	private void expectInvalid(String body, String param) {
		expectInvalidParameter(post(asAdmin(), body), param);
	}

	private static WebTestClient.ResponseSpec post(WebTestClient client, String body) {
		return postJson(client, "/admin/v1/prices", body);
	}

	private WebTestClient asAdmin() {
		return FrontDoor.asAdmin(this.port);
	}

	private WebTestClient client() {
		return FrontDoor.client(this.port);
	}

}
