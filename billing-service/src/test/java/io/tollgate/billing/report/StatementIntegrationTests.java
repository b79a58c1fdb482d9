package io.tollgate.billing.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.contract.ServiceTier;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.billing.report.ReportFixtures.HAIKU;
import static io.tollgate.billing.report.ReportFixtures.PRICED_WITHIN;
import static io.tollgate.billing.report.ReportFixtures.SONNET;
import static io.tollgate.billing.report.ReportFixtures.delta;
import static io.tollgate.billing.report.ReportFixtures.newTenant;
import static io.tollgate.billing.report.ReportFixtures.publish;
import static io.tollgate.billing.report.ReportFixtures.tokens;
import static io.tollgate.testsupport.ApiCalls.expectInvalidParameter;
import static io.tollgate.testsupport.ApiCalls.getJson;
import static io.tollgate.testsupport.ApiCalls.list;
import static io.tollgate.testsupport.ApiCalls.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/statements/{yyyy-mm}} over deltas priced by the ledger with the seed
 * catalog's list prices, checked against amounts computed by hand (USD per million
 * tokens): Claude Haiku 4.5 is $1 input and $5 output; Claude Sonnet 4.5 is $3 input and
 * $15 output, half in the batch tier; an unknown model is priced as Claude Opus 4.1 ($15
 * input) and flagged.
 */
@BillingIntegrationTest
class StatementIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private DatabaseClient db;

	@Test
	void listsEachModelTokenKindAndPriceWithLinesAndTotalRoundedHalfEven() {
		// Mid-November on the services' clock: October is complete, November is not.
		TestClock.shared().runFrom(at("2026-11-20T12:00:00Z"));
		String tenant = newTenant("statement");
		String unknown = ReportFixtures.unknownModel();
		publish(delta(tenant, "key-1", HAIKU, ServiceTier.STANDARD, at("2026-10-05T08:00:00Z"),
				tokens(125_000, 27_000)),
				delta(tenant, "key-2", SONNET, ServiceTier.STANDARD, at("2026-10-10T12:00:00Z"),
						tokens(1_000_000, 1_000)),
				delta(tenant, "key-1", SONNET, ServiceTier.BATCH, at("2026-10-31T23:59:00Z"), tokens(1_000_000, 0)),
				delta(tenant, "key-1", unknown, ServiceTier.STANDARD, at("2026-10-15T00:00:00Z"), tokens(1_000, 0)),
				// Either side of October, and another tenant's: not on the statement.
				delta(tenant, "key-1", SONNET, ServiceTier.STANDARD, at("2026-09-30T23:59:00Z"), tokens(1_000_000, 0)),
				delta(tenant, "key-1", SONNET, ServiceTier.STANDARD, at("2026-11-01T00:00:00Z"), tokens(1_000_000, 0)),
				delta(newTenant("statement-other"), "key-1", SONNET, ServiceTier.STANDARD, at("2026-10-10T12:00:00Z"),
						tokens(7_000_000, 0)));
		// 0.125 + 0.135 + 3 + 0.015 + 1.50 + 0.015 = 4.79 exactly; the rounded lines add
		// up
		// to 4.80, the total is the exact total rounded: 4.79.
		await().atMost(PRICED_WITHIN).untilAsserted(() -> {
			assertThat(statement(tenant, "2026-10")).containsEntry("total_amount", "4.79");
			assertThat(statement(tenant, "2026-09")).containsEntry("total_amount", "3.00");
			assertThat(statement(tenant, "2026-11")).containsEntry("total_amount", "3.00");
		});
		Map<String, Object> statement = statement(tenant, "2026-10");
		assertThat(statement).containsEntry("tenant_id", tenant)
			.containsEntry("month", "2026-10")
			.containsEntry("period", "calendar month, UTC")
			.containsEntry("period_start", "2026-10-01T00:00:00Z")
			.containsEntry("period_end", "2026-11-01T00:00:00Z")
			.containsEntry("currency", "USD")
			.containsEntry("rounding", "half-even to the cent, applied to each line and to the exact total")
			.containsEntry("total_quantity", 2_154_000)
			.containsEntry("total_amount", "4.79")
			.containsEntry("total_amount_rounded", "4.79")
			.containsEntry("unpriced_amount", "0.015")
			.containsEntry("complete", true)
			.containsKey("as_of");
		assertThat(list(statement, "lines")).containsExactly(
				line(HAIKU, "input", "1.00", 125_000, "0.125", "0.12", false),
				line(HAIKU, "output", "5.00", 27_000, "0.135", "0.14", false),
				line(SONNET, "input", "1.50", 1_000_000, "1.50", "1.50", false),
				line(SONNET, "input", "3.00", 1_000_000, "3.00", "3.00", false),
				line(SONNET, "output", "15.00", 1_000, "0.015", "0.02", false),
				line(unknown, "input", "15.00", 1_000, "0.015", "0.02", true));
		assertThat(statement(tenant, "2026-11")).containsEntry("complete", false);
	}

	@Test
	void answersCsvWhenAsked() {
		String tenant = newTenant("statement-csv");
		publish(delta(tenant, "key-1", HAIKU, ServiceTier.STANDARD, at("2026-10-05T08:00:00Z"),
				tokens(125_000, 27_000)));
		await().atMost(PRICED_WITHIN)
			.untilAsserted(() -> assertThat(statement(tenant, "2026-10")).containsEntry("total_amount", "0.26"));
		byte[] csv = asTenant(tenant).get()
			.uri("/v1/statements/2026-10")
			.accept(MediaType.parseMediaType("text/csv"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("text/csv;charset=UTF-8")
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_DISPOSITION,
					"attachment; filename=\"statement-" + tenant + "-2026-10.csv\"")
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(csv).isNotNull();
		assertThat(new String(csv, java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo("model,token_kind,usd_per_mtok,quantity,amount,amount_rounded,unpriced\r\n"
					+ "claude-haiku-4-5,input,1.00,125000,0.125,0.12,false\r\n"
					+ "claude-haiku-4-5,output,5.00,27000,0.135,0.14,false\r\n" + "total,,,152000,0.26,0.26,false\r\n");
		// JSON stays the default, whatever else is accepted.
		asTenant(tenant).get()
			.uri("/v1/statements/2026-10")
			.accept(MediaType.ALL)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.total_amount_rounded")
			.isEqualTo("0.26");
		asTenant(tenant).get()
			.uri("/v1/statements/2026-10")
			.header(HttpHeaders.ACCEPT, "not a media type")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.NOT_ACCEPTABLE);
	}

	@Test
	void leavesOutLinesCorrectedAway() {
		String tenant = newTenant("statement-corrected");
		Instant ten = at("2026-08-10T10:00:00Z");
		Instant eleven = at("2026-08-10T11:00:00Z");
		// Sonnet input re-priced from $3 to $2.50; Haiku output withdrawn.
		ReportFixtures.insertSpendHour(this.db, tenant, ten, SONNET, "input", "3", 1_000_000, "3");
		ReportFixtures.insertSpendHour(this.db, tenant, eleven, SONNET, "input", "3", -1_000_000, "-3");
		ReportFixtures.insertSpendHour(this.db, tenant, eleven, SONNET, "input", "2.5", 1_000_000, "2.5");
		ReportFixtures.insertSpendHour(this.db, tenant, ten, HAIKU, "output", "5", 200_000, "1");
		ReportFixtures.insertSpendHour(this.db, tenant, eleven, HAIKU, "output", "5", -200_000, "-1");
		Map<String, Object> statement = statement(tenant, "2026-08");
		assertThat(list(statement, "lines"))
			.containsExactly(line(SONNET, "input", "2.50", 1_000_000, "2.50", "2.50", false));
		assertThat(statement).containsEntry("total_amount", "2.50")
			.containsEntry("total_amount_rounded", "2.50")
			.containsEntry("total_quantity", 1_000_000)
			.containsEntry("unpriced_amount", "0.00");
	}

	@Test
	void aMonthWithoutSpendHasNoLines() {
		Map<String, Object> statement = statement(newTenant("statement-empty"), "2026-07");
		assertThat(list(statement, "lines")).isEmpty();
		assertThat(statement).containsEntry("total_quantity", 0)
			.containsEntry("total_amount", "0.00")
			.containsEntry("total_amount_rounded", "0.00")
			.containsEntry("unpriced_amount", "0.00");
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-13", "26-01", "2026-1", "2026-00", "november" })
	void rejectsABadMonth(String month) {
		for (MediaType accept : List.of(MediaType.APPLICATION_JSON, MediaType.parseMediaType("text/csv"))) {
			expectInvalidParameter(asTenant(newTenant("statement-invalid")).get()
				.uri("/v1/statements/" + month)
				.accept(accept)
				.exchange()
				.expectHeader()
				.contentType(MediaType.APPLICATION_JSON), "month");
		}
	}

	@Test
	void isScopedToTheCallersTenant() {
		String tenant = newTenant("statement-scope");
		publish(delta(tenant, "key-1", SONNET, ServiceTier.STANDARD, at("2026-10-02T00:00:00Z"), tokens(1_000_000, 0)));
		await().atMost(PRICED_WITHIN)
			.untilAsserted(() -> assertThat(
					getJson(FrontDoor.asAdmin(this.port), uri("/v1/statements/2026-10", "tenant_id", tenant)))
				.containsEntry("tenant_id", tenant)
				.containsEntry("total_amount", "3.00"));
		assertThat(getJson(asTenant(tenant), uri("/v1/statements/2026-10", "tenant_id", tenant)))
			.containsEntry("total_amount", "3.00");
		assertThat(statement(newTenant("statement-scope-other"), "2026-10")).containsEntry("total_amount", "0.00");
		ReportFixtures.expectTenantScoping(this.port, "/v1/statements/2026-10", tenant);
		// Access is decided before the month is looked at.
		ReportFixtures.expectTenantScoping(this.port, "/v1/statements/2026-13", tenant);
	}

	private Map<String, Object> statement(String tenant, String month) {
		return getJson(asTenant(tenant), uri("/v1/statements/" + month));
	}

	private WebTestClient asTenant(String tenant) {
		return FrontDoor.asTenant(this.port, tenant, "key-of-" + tenant);
	}

	private static Instant at(String instant) {
		return Instant.parse(instant);
	}

	private static Map<String, Object> line(String model, String kind, String price, long quantity, String amount,
			String rounded, boolean unpriced) {
		return Map.of("model", model, "token_kind", kind, "usd_per_mtok", price, "quantity",
				(quantity <= Integer.MAX_VALUE) ? (Object) (int) quantity : (Object) quantity, "amount", amount,
				"amount_rounded", rounded, "unpriced", unpriced);
	}

}
