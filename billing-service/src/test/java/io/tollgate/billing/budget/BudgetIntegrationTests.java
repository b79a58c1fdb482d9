package io.tollgate.billing.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.SpendUpdate;
import io.tollgate.contract.Topics;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.TopicReader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.testsupport.ApiCalls.expectError;
import static io.tollgate.testsupport.ApiCalls.expectInvalidParameter;
import static io.tollgate.testsupport.ApiCalls.getJson;
import static io.tollgate.testsupport.ApiCalls.putJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budgets through the API, and the spend updates they shape on the spend topic. Claude
 * Sonnet 4.5 input is $3 per million tokens, so a million input tokens cost $3.
 */
@BillingIntegrationTest
class BudgetIntegrationTests {

	private static final String SONNET = "claude-sonnet-4-5";

	@LocalServerPort
	private int port;

	@Test
	void onlyTheAdminSetsAndRemovesBudgetsAndTenantsReadTheirOwn() {
		String tenant = "budget-api-" + UUID.randomUUID();
		WebTestClient admin = FrontDoor.asAdmin(this.port);
		WebTestClient tenantKey = FrontDoor.asTenant(this.port, tenant, "key-1");

		expectError(putJson(tenantKey, "/v1/budgets/tenant", "{\"cap_usd\":\"1000000\"}"), HttpStatus.FORBIDDEN,
				"admin_required");
		tenantKey.get().uri("/v1/budgets/tenant").exchange().expectStatus().isNotFound();

		putJson(admin, "/v1/budgets/tenant?tenant_id={t}",
				"{\"cap_usd\":\"500.00\",\"time_zone\":\"Europe/Berlin\",\"pause_at_cap\":true}", tenant)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.cap_usd")
			.isEqualTo("500.00")
			.jsonPath("$.period")
			.isEqualTo("month")
			.jsonPath("$.time_zone")
			.isEqualTo("Europe/Berlin")
			.jsonPath("$.alert_thresholds")
			.isEqualTo(List.of(50, 80, 100))
			.jsonPath("$.pause_at_cap")
			.isEqualTo(true);
		putJson(admin, "/v1/budgets/keys/key-2?tenant_id={t}", "{\"cap_usd\":\"20\",\"alert_thresholds\":[90]}", tenant)
			.expectStatus()
			.isOk();

		tenantKey.get()
			.uri("/v1/budgets")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.tenant_id")
			.isEqualTo(tenant)
			.jsonPath("$.data.length()")
			.isEqualTo(2)
			.jsonPath("$.data[0].api_key_id")
			.doesNotExist()
			.jsonPath("$.data[1].api_key_id")
			.isEqualTo("key-2")
			.jsonPath("$.data[1].alert_thresholds")
			.isEqualTo(List.of(90))
			.jsonPath("$.data[1].period")
			.doesNotExist();
		FrontDoor.asTenant(this.port, "someone-else", "key-9")
			.get()
			.uri("/v1/budgets?tenant_id={t}", tenant)
			.exchange()
			.expectStatus()
			.isForbidden();

		admin.delete().uri("/v1/budgets/keys/key-2?tenant_id={t}", tenant).exchange().expectStatus().isNoContent();
		expectError(admin.delete().uri("/v1/budgets/keys/key-2?tenant_id={t}", tenant).exchange(), HttpStatus.NOT_FOUND,
				"budget_not_found");
		tenantKey.get().uri("/v1/budgets").exchange().expectBody().jsonPath("$.data.length()").isEqualTo(1);
	}

	@Test
	void refusesABadBudgetNamingTheField() {
		String tenant = "budget-bad-" + UUID.randomUUID();
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":500}", "cap_usd");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"-5\"}", "cap_usd");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"0\"}", "cap_usd");
		assertRefused(tenant, "/v1/budgets/tenant", "{}", "cap_usd");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"5\",\"period\":\"year\"}", "period");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"5\",\"time_zone\":\"Mars/Olympus\"}", "time_zone");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"5\",\"time_zone\":\"+02:00\"}", "time_zone");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"5\",\"alert_thresholds\":[80,50]}",
				"alert_thresholds");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"5\",\"pause_at_cap\":\"yes\"}", "pause_at_cap");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":\"5\",\"cap\":\"5\"}", "cap");
		assertRefused(tenant, "/v1/budgets/keys/key-1", "{\"cap_usd\":\"5\",\"period\":\"day\"}", "period");
		assertRefused(tenant, "/v1/budgets/tenant", "{\"cap_usd\":", "body");
		// Nothing was stored by any of them.
		FrontDoor.asTenant(this.port, tenant, "key-1")
			.get()
			.uri("/v1/budgets")
			.exchange()
			.expectBody()
			.jsonPath("$.data.length()")
			.isEqualTo(0);
	}

	@Test
	void spendUpdatesFollowTheBudgetAndPauseAtTheCap() {
		String tenant = "budget-cap-" + UUID.randomUUID();
		WebTestClient admin = FrontDoor.asAdmin(this.port);
		putJson(admin, "/v1/budgets/tenant?tenant_id={t}",
				"{\"cap_usd\":\"10\",\"pause_at_cap\":true,\"alert_thresholds\":[50,100]}", tenant)
			.expectStatus()
			.isOk();
		putJson(admin, "/v1/budgets/keys/key-b?tenant_id={t}", "{\"cap_usd\":\"4\"}", tenant).expectStatus().isOk();
		// Setting the budget alone publishes the cap, before any usage.
		SpendUpdate first = awaitUpdate(tenant, null, (update) -> update.cap() != null);
		assertThat(first.cap()).isEqualByComparingTo("10");
		assertThat(first.spendToDate()).isEqualByComparingTo("0");
		assertThat(first.alertThresholds()).containsExactly(50, 100);
		assertThat(first.paused()).isFalse();

		Instant bucket = MeteredDeltas.recentBucketFrom(MeteredDeltas.utcMonthStart(TestClock.shared().instant()));
		// $3 on key-a and $3 on key-b: 60 % of the tenant's cap, 75 % of key-b's.
		MeteredDeltas
			.publish(List.of(delta(tenant, "key-a", bucket, 1_000_000), delta(tenant, "key-b", bucket, 1_000_000)));
		SpendUpdate sixty = awaitUpdate(tenant, null,
				(update) -> update.spendToDate().compareTo(new BigDecimal("6")) >= 0);
		assertThat(sixty.spendToDate()).isEqualByComparingTo("6");
		assertThat(sixty.paused()).isFalse();
		assertThat(sixty.forecastPeriodEnd()).isGreaterThanOrEqualTo(new BigDecimal("6"));
		SpendUpdate keyB = awaitUpdate(tenant, "key-b", (update) -> update.spendToDate().signum() > 0);
		assertThat(keyB.spendToDate()).isEqualByComparingTo("3");
		assertThat(keyB.cap()).isEqualByComparingTo("4");
		assertThat(keyB.alertThresholds()).containsExactly(50, 80, 100);
		// key-a has no budget of its own: no update for it.
		assertThat(updates(tenant)).noneMatch((update) -> "key-a".equals(update.apiKeyId()));

		// $4.50 more: $10.50 of $10, the cap is reached and the budget pauses.
		MeteredDeltas.publish(List.of(delta(tenant, "key-a", bucket, 1_500_000)));
		SpendUpdate capped = awaitUpdate(tenant, null, SpendUpdate::paused);
		assertThat(capped.spendToDate()).isEqualByComparingTo("10.5");
		assertThat(getJson(FrontDoor.asTenant(this.port, tenant, "key-a"), "/v1/spend/current"))
			.containsEntry("spend_to_date", "10.5")
			.containsEntry("cap", "10")
			.containsEntry("remaining", "0")
			.containsEntry("percent_used", "105.00")
			.containsEntry("paused", true);

		// Raising the cap lifts the pause at once, with no new usage.
		putJson(admin, "/v1/budgets/tenant?tenant_id={t}", "{\"cap_usd\":\"50\",\"pause_at_cap\":true}", tenant)
			.expectStatus()
			.isOk();
		SpendUpdate raised = awaitUpdate(tenant, null,
				(update) -> update.cap() != null && update.cap().compareTo(new BigDecimal("50")) == 0);
		assertThat(raised.paused()).isFalse();
		assertThat(raised.spendToDate()).isEqualByComparingTo("10.5");
	}

	@Test
	void aBusyTenantGetsAtMostOneSpendUpdatePerRound() {
		String tenant = "budget-busy-" + UUID.randomUUID();
		Instant bucket = MeteredDeltas.recentBucketFrom(MeteredDeltas.utcMonthStart(TestClock.shared().instant()));
		// 30 changes committed one after another ($0.003 each: 1,000 input tokens at
		// $3/M).
		for (int i = 0; i < 30; i++) {
			MeteredDeltas.publish(List.of(delta(tenant, "key-1", bucket, 1_000)));
		}
		awaitUpdate(tenant, null, (update) -> update.spendToDate().compareTo(new BigDecimal("0.09")) == 0);

		List<Instant> rounds = updates(tenant).stream()
			.filter((update) -> update.apiKeyId() == null)
			.map(SpendUpdate::asOf)
			.sorted()
			.toList();
		assertThat(rounds).hasSizeLessThan(30);
		// One publishing round per second (tollgate.billing.spend-updates.interval): two
		// updates of the tenant are never closer than that, however many batches landed.
		for (int i = 1; i < rounds.size(); i++) {
			assertThat(Duration.between(rounds.get(i - 1), rounds.get(i)))
				.isGreaterThanOrEqualTo(Duration.ofMillis(900));
		}
	}

	@Test
	void periodToDateFollowsTheTenantsCalendarAndRestartsWithEachPeriod() {
		String tenant = "budget-calendar-" + UUID.randomUUID();
		Instant now = TestClock.shared().instant();
		Instant today = MeteredDeltas.recentBucketFrom(MeteredDeltas.utcDayStart(now));
		Instant yesterday = MeteredDeltas.utcDayStart(now).minus(Duration.ofHours(6));
		// $3 today, $6 yesterday.
		MeteredDeltas
			.publish(List.of(delta(tenant, "key-1", today, 1_000_000), delta(tenant, "key-1", yesterday, 2_000_000)));
		BigDecimal thisMonth = yesterday.isBefore(MeteredDeltas.utcMonthStart(now)) ? new BigDecimal("3")
				: new BigDecimal("9");
		WebTestClient tenantKey = FrontDoor.asTenant(this.port, tenant, "key-1");
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(new BigDecimal(current(tenantKey))).isEqualByComparingTo(thisMonth));

		// Daily budgets in UTC: yesterday's spend belongs to the period before.
		putJson(FrontDoor.asAdmin(this.port), "/v1/budgets/tenant?tenant_id={t}",
				"{\"cap_usd\":\"100\",\"period\":\"day\"}", tenant)
			.expectStatus()
			.isOk();
		assertThat(new BigDecimal(current(tenantKey))).isEqualByComparingTo("3");
		assertThat(getJson(tenantKey, "/v1/spend/current")).containsEntry("period_start",
				MeteredDeltas.utcDayStart(now).toString());

		// Back to months: the totals are filed again from the ledger.
		FrontDoor.asAdmin(this.port)
			.delete()
			.uri("/v1/budgets/tenant?tenant_id={t}", tenant)
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(new BigDecimal(current(tenantKey))).isEqualByComparingTo(thisMonth);
	}

	private String current(WebTestClient client) {
		return (String) getJson(client, "/v1/spend/current").get("spend_to_date");
	}

	private void assertRefused(String tenant, String uri, String body, String param) {
		expectInvalidParameter(putJson(FrontDoor.asAdmin(this.port), uri + "?tenant_id={t}", body, tenant), param);
	}

	private static MeteredUsage delta(String tenant, String key, Instant bucket, long inputTokens) {
		return MeteredDeltas.delta(tenant, key, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, bucket,
				MeteredDeltas.input(inputTokens));
	}

	/** The newest update of a scope, once it satisfies the condition. */
	private static SpendUpdate awaitUpdate(String tenant, @Nullable String apiKeyId,
			java.util.function.Predicate<SpendUpdate> condition) {
		SpendUpdate[] found = new SpendUpdate[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			SpendUpdate latest = updates(tenant).stream()
				.filter((update) -> java.util.Objects.equals(update.apiKeyId(), apiKeyId))
				.max(Comparator.comparing(SpendUpdate::asOf))
				.orElse(null);
			found[0] = latest;
			return latest != null && condition.test(latest);
		});
		return found[0];
	}

	private static List<SpendUpdate> updates(String tenant) {
		return TopicReader.recordsWithKey(Topics.SPEND.name(), tenant, 0, Duration.ofSeconds(10))
			.stream()
			.map((record) -> EventCodec.shared().decodeOrThrow(record.value(), SpendUpdate.class))
			.toList();
	}

}
