package io.tollgate.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import static io.tollgate.testsupport.ApiCalls.getBytes;
import static io.tollgate.testsupport.ApiCalls.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scripted month for two tenants, priced by billing and read back as monthly
 * statements, against dollars computed by hand below from the seed catalog's list prices
 * (USD per million tokens) and from a test model whose price the admin changes in the
 * middle of the month. The month is two months ahead, so that both price versions can
 * still be added (versions apply from now on, never to the past) and no other test's
 * usage falls in it.
 */
@BillingIntegrationTest
class ScriptedMonthIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void statementsOfAScriptedMonthMatchHandComputedDollars() {
		YearMonth month = YearMonth.from(TestClock.shared().instant().atZone(ZoneOffset.UTC)).plusMonths(2);
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String testModel = "scripted-" + suffix;
		// The test model: $2 input, $8 output (and the rest) from the 1st; input $1.50
		// from
		// the 15th, the other kinds unchanged.
		addPrice(testModel, day(month, 1),
				"{\"input\":\"2.00\",\"output\":\"8.00\",\"cache_write_5m\":\"2.50\",\"cache_write_1h\":\"4.00\","
						+ "\"cache_read\":\"0.20\"}");
		addPrice(testModel, day(month, 15), "{\"input\":\"1.50\"}");

		String a = "scripted-a-" + suffix;
		String b = "scripted-b-" + suffix;
		List<MeteredUsage> deltas = new ArrayList<>();
		// Tenant A.
		// Sonnet 4.5 standard: 2M x 3 + 0.5M x 15 + 0.4M x 3.75 + 0.1M x 6 + 3M x 0.30
		// = 6 + 7.5 + 1.5 + 0.6 + 0.9 = 16.50
		MeteredUsage sonnet = delta(a, "a1", Provider.ANTHROPIC, "claude-sonnet-4-5-20250929", ServiceTier.STANDARD,
				ContextTier.STANDARD, day(month, 3),
				new TokenCounts(2_000_000, 500_000, 400_000, 100_000, 3_000_000, 0, 0));
		deltas.add(sonnet);
		// Sonnet 4.5 batch (half price): 1M x 1.50 + 1M x 7.50 = 9.00
		deltas.add(delta(a, "a2", Provider.ANTHROPIC, "claude-sonnet-4-5", ServiceTier.BATCH, ContextTier.STANDARD,
				day(month, 5), new TokenCounts(1_000_000, 1_000_000, 0, 0, 0, 0, 0)));
		// Sonnet 4.5 long context: 0.3M x 6 + 0.04M x 22.50 + 1M x 0.60 = 1.8 + 0.9 + 0.6
		// = 3.30
		deltas.add(delta(a, "a1", Provider.ANTHROPIC, "claude-sonnet-4-5", ServiceTier.STANDARD, ContextTier.LONG,
				day(month, 7), new TokenCounts(300_000, 40_000, 0, 0, 1_000_000, 0, 0)));
		// The test model before the change: 1,234,567 x 2 / 1M = 2.469134
		deltas.add(delta(a, "a1", Provider.ANTHROPIC, testModel, ServiceTier.STANDARD, ContextTier.STANDARD,
				day(month, 10), new TokenCounts(1_234_567, 0, 0, 0, 0, 0, 0)));
		// ... and after: 1,234,567 x 1.50 / 1M = 1.8518505; output 10,001 x 8 / 1M =
		// 0.080008
		deltas.add(delta(a, "a1", Provider.ANTHROPIC, testModel, ServiceTier.STANDARD, ContextTier.STANDARD,
				day(month, 20), new TokenCounts(1_234_567, 10_001, 0, 0, 0, 0, 0)));
		// A model with no price: priced as Claude Opus 4.1 ($15 input), flagged:
		// 3,333 x 15 / 1M = 0.049995
		deltas.add(delta(a, "a1", Provider.ANTHROPIC, "claude-mystery-" + suffix, ServiceTier.STANDARD,
				ContextTier.STANDARD, day(month, 12), new TokenCounts(3_333, 0, 0, 0, 0, 0, 0)));
		// Delivered twice: priced once.
		deltas.add(sonnet);
		// A: 16.5 + 9 + 3.3 + 2.469134 + 1.8518505 + 0.080008 + 0.049995 = 33.2509875

		// Tenant B.
		// GPT-5: 0.8M x 1.25 + 0.123457M x 10 + 2M x 0.125 = 1 + 1.23457 + 0.25 = 2.48457
		deltas.add(delta(b, "b1", Provider.OPENAI, "gpt-5-2025-08-07", ServiceTier.STANDARD, ContextTier.STANDARD,
				day(month, 2), new TokenCounts(800_000, 123_457, 0, 0, 2_000_000, 0, 0)));
		// GPT-5 priority: 0.1M x 2.50 + 0.1M x 20 = 2.25
		deltas.add(delta(b, "b1", Provider.OPENAI, "gpt-5", ServiceTier.PRIORITY, ContextTier.STANDARD, day(month, 4),
				new TokenCounts(100_000, 100_000, 0, 0, 0, 0, 0)));
		// Gemini 2.5 Pro above 200k input (long): 0.4M x 2.50 + 0.01M x 15 = 1.15
		deltas.add(delta(b, "b1", Provider.GEMINI, "gemini-2.5-pro", ServiceTier.STANDARD, ContextTier.LONG,
				day(month, 6), new TokenCounts(400_000, 10_000, 0, 0, 0, 0, 0)));
		// Haiku 4.5: 125,000 x 1 / 1M = 0.125 (rounds half-even to 0.12) and
		// 27,000 x 5 / 1M = 0.135 (rounds to 0.14)
		deltas.add(delta(b, "b2", Provider.ANTHROPIC, "claude-haiku-4-5", ServiceTier.STANDARD, ContextTier.STANDARD,
				day(month, 8), new TokenCounts(125_000, 27_000, 0, 0, 0, 0, 0)));
		// B: 2.48457 + 2.25 + 1.15 + 0.26 = 6.14457
		MeteredDeltas.publish(deltas);

		JsonNode statementA = awaitStatement(a, month, "33.2509875");
		assertThat(statementA.get("total_amount_rounded").asString()).isEqualTo("33.25");
		assertThat(statementA.get("unpriced_amount").asString()).isEqualTo("0.049995");
		assertThat(line(statementA, testModel, "input", "2")).isEqualTo("1234567 2.469134 2.47");
		assertThat(line(statementA, testModel, "input", "1.5")).isEqualTo("1234567 1.8518505 1.85");
		assertThat(line(statementA, "claude-sonnet-4-5", "cache_write_5m", "3.75")).isEqualTo("400000 1.5 1.50");
		assertThat(line(statementA, "claude-sonnet-4-5", "input", "1.5")).isEqualTo("1000000 1.5 1.50");
		assertThat(line(statementA, "claude-sonnet-4-5", "input", "6")).isEqualTo("300000 1.8 1.80");
		JsonNode unpriced = find(statementA, "claude-mystery-" + suffix, "input", "15");
		assertThat(unpriced.get("unpriced").asBoolean()).isTrue();

		JsonNode statementB = awaitStatement(b, month, "6.14457");
		assertThat(statementB.get("total_amount_rounded").asString()).isEqualTo("6.14");
		assertThat(line(statementB, "claude-haiku-4-5", "input", "1")).isEqualTo("125000 0.125 0.12");
		assertThat(line(statementB, "claude-haiku-4-5", "output", "5")).isEqualTo("27000 0.135 0.14");
		assertThat(line(statementB, "gpt-5", "output", "20")).isEqualTo("100000 2 2.00");
		assertThat(line(statementB, "gemini-2.5-pro", "input", "2.5")).isEqualTo("400000 1 1.00");

		String csv = FrontDoor.asTenant(this.port, b, "b1")
			.get()
			.uri("/v1/statements/{month}", month.toString())
			.accept(MediaType.parseMediaType("text/csv"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(csv).contains("claude-haiku-4-5").contains("6.14457").contains("6.14");
	}

	private JsonNode awaitStatement(String tenant, YearMonth month, String expectedTotal) {
		JsonNode[] statement = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			byte[] body = getBytes(FrontDoor.asAdmin(this.port), "/v1/statements/{month}?tenant_id={t}",
					month.toString(), tenant);
			statement[0] = EventCodec.shared().mapper().readTree(body);
			assertThat(new BigDecimal(statement[0].get("total_amount").asString())).isEqualByComparingTo(expectedTotal);
		});
		// Exact, not merely equal in value: no rounding and no binary fraction on the
		// way.
		assertThat(statement[0].get("total_amount").asString()).isEqualTo(expectedTotal);
		return statement[0];
	}

	/** A line as "quantity amount amount_rounded". */
	private static String line(JsonNode statement, String model, String kind, String unitPrice) {
		JsonNode line = find(statement, model, kind, unitPrice);
		return line.get("quantity").asLong() + " "
				+ new BigDecimal(line.get("amount").asString()).stripTrailingZeros().toPlainString() + " "
				+ line.get("amount_rounded").asString();
	}

	private static JsonNode find(JsonNode statement, String model, String kind, String unitPrice) {
		for (JsonNode line : statement.get("lines")) {
			if (line.get("model").asString().equals(model) && line.get("token_kind").asString().equals(kind)
					&& new BigDecimal(line.get("usd_per_mtok").asString()).compareTo(new BigDecimal(unitPrice)) == 0) {
				return line;
			}
		}
		throw new AssertionError("no line " + model + " " + kind + " at " + unitPrice + " in " + statement);
	}

	private void addPrice(String model, Instant effectiveFrom, String prices) {
		postJson(FrontDoor.asAdmin(this.port), "/admin/v1/prices",
				"{\"provider\":\"anthropic\",\"model\":\"" + model + "\",\"service_tier\":\"standard\","
						+ "\"context_tier\":\"standard\",\"effective_from\":\"" + effectiveFrom + "\",\"prices\":"
						+ prices + ",\"reason\":\"scripted month test\"}")
			.expectStatus()
			.isCreated();
	}

	private static Instant day(YearMonth month, int day) {
		return month.atDay(day).atTime(10, 0).toInstant(ZoneOffset.UTC);
	}

	private static MeteredUsage delta(String tenant, String key, Provider provider, String model, ServiceTier tier,
			ContextTier context, Instant bucket, TokenCounts tokens) {
		return MeteredDeltas.delta(tenant, key, provider, model, tier, context, bucket, tokens);
	}

}
