package io.tollgate.billing.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.testsupport.ApiCalls.getJson;
import static io.tollgate.testsupport.ApiCalls.putJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The statement's {@code complete} flag and the budget period of {@code
 * /v1/spend/current} with the services' clock frozen where calendars are easiest to get
 * wrong: the last second of a month, the first second of the next, a leap day, and the
 * days a tenant's zone changes its offset (25 and 23 hours long). Claude Sonnet 4.5 input
 * is $3 per million tokens.
 */
@BillingIntegrationTest
class CalendarBoundaryIntegrationTests {

	private static final String SONNET = "claude-sonnet-4-5";

	@LocalServerPort
	private int port;

	@Test
	void theLastSecondOfAMonthIsInItAndTheFirstSecondOfTheNextStartsAFreshPeriod() {
		String tenant = tenant("boundary-month");
		setBudget(tenant, "month", "UTC");
		publish(tenant, "2026-11-30T23:59:00Z", "2026-12-01T00:00:00Z");

		expectPeriod(tenant, "2026-11-30T23:59:59Z", "3", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
		assertThat(statement(tenant, "2026-11")).containsEntry("complete", false).containsEntry("total_amount", "3.00");

		expectPeriod(tenant, "2026-12-01T00:00:00Z", "3", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
		assertThat(statement(tenant, "2026-11")).containsEntry("complete", true);
		assertThat(statement(tenant, "2026-12")).containsEntry("complete", false).containsEntry("total_amount", "3.00");
	}

	@Test
	void aLeapDayIsADayOfItsOwnAndFebruaryEndsAfterIt() {
		String daily = tenant("boundary-leap-day");
		setBudget(daily, "day", "UTC");
		publish(daily, "2028-02-28T23:59:00Z", "2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z");
		expectPeriod(daily, "2028-02-29T23:59:59Z", "3", "2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z");

		String monthly = tenant("boundary-leap-month");
		setBudget(monthly, "month", "UTC");
		publish(monthly, "2028-02-01T00:00:00Z", "2028-02-29T23:59:00Z", "2028-03-01T00:00:00Z");
		expectPeriod(monthly, "2028-02-29T23:59:59Z", "6", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z");
		assertThat(statement(monthly, "2028-02")).containsEntry("period_end", "2028-03-01T00:00:00Z")
			.containsEntry("complete", false)
			.containsEntry("total_amount", "6.00");
	}

	@Test
	void aDayInTheTenantsZoneLasts25HoursWhenClocksGoBackAnd23WhenTheyGoForward() {
		// New York falls back at 06:00Z on 2026-11-01: that day runs 04:00Z to 05:00Z the
		// next day. 03:30Z is still 31 October there; 04:30Z on the 2nd is still the 1st.
		String fallBack = tenant("boundary-dst-back");
		setBudget(fallBack, "day", "America/New_York");
		publish(fallBack, "2026-11-01T03:30:00Z", "2026-11-01T04:00:00Z", "2026-11-02T04:30:00Z");
		expectPeriod(fallBack, "2026-11-01T12:00:00Z", "6", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z");

		// Berlin springs forward at 01:00Z on 2027-03-28: that day runs 23:00Z the day
		// before to 22:00Z.
		String springForward = tenant("boundary-dst-forward");
		setBudget(springForward, "day", "Europe/Berlin");
		publish(springForward, "2027-03-27T22:59:00Z", "2027-03-27T23:00:00Z", "2027-03-28T21:59:00Z",
				"2027-03-28T22:00:00Z");
		expectPeriod(springForward, "2027-03-28T21:59:59Z", "6", "2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z");
	}

	/**
	 * With the clock frozen at an instant: the spend the tenant has in its period by
	 * then, once priced, and the period's bounds.
	 */
	private void expectPeriod(String tenant, String frozenAt, String dollars, String start, String end) {
		freezeAt(frozenAt);
		awaitSpend(tenant, dollars);
		assertThat(current(tenant)).containsEntry("period_start", start).containsEntry("period_end", end);
	}

	private static String tenant(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

	private static void freezeAt(String instant) {
		TestClock.shared().freezeAt(Instant.parse(instant));
	}

	private void setBudget(String tenant, String period, String zone) {
		putJson(FrontDoor.asAdmin(this.port), "/v1/budgets/tenant?tenant_id={t}",
				"{\"cap_usd\":\"1000\",\"period\":\"" + period + "\",\"time_zone\":\"" + zone + "\"}", tenant)
			.expectStatus()
			.isOk();
	}

	/** A million Sonnet input tokens ($3) in each minute bucket. */
	private static void publish(String tenant, String... buckets) {
		List<MeteredUsage> deltas = java.util.Arrays.stream(buckets)
			.map((bucket) -> MeteredDeltas.delta(tenant, "key-1", SONNET, ServiceTier.STANDARD, ContextTier.STANDARD,
					Instant.parse(bucket), MeteredDeltas.input(1_000_000)))
			.toList();
		MeteredDeltas.publish(deltas);
	}

	private void awaitSpend(String tenant, String dollars) {
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(new BigDecimal((String) current(tenant).get("spend_to_date")))
				.isEqualByComparingTo(dollars));
	}

	private Map<String, Object> current(String tenant) {
		return getJson(tenantKey(tenant), "/v1/spend/current");
	}

	private Map<String, Object> statement(String tenant, String month) {
		return getJson(tenantKey(tenant), "/v1/statements/" + month);
	}

	private WebTestClient tenantKey(String tenant) {
		return FrontDoor.asTenant(this.port, tenant, "key-1");
	}

}
