package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tollgate.billing.BillingDatabase;
import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

import static io.tollgate.testsupport.ApiCalls.getJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deltas priced into the ledger with the seed catalog's list prices, checked against
 * amounts computed by hand (USD per million tokens): Claude Sonnet 4.5 is $3 input, $15
 * output, $3.75 and $6 for 5-minute and 1-hour cache writes, $0.30 for cache reads; the
 * batch tier halves them; above 200k input tokens it is $6 and $22.50; an unknown
 * Anthropic model is priced as Claude Opus 4.1 ($15 input) and flagged.
 */
@BillingIntegrationTest
class LedgerIntegrationTests {

	@Autowired
	private DatabaseClient db;

	@LocalServerPort
	private int port;

	@Test
	void pricesScriptedDeltasToTheExactDecimalAndPricesADuplicateOnce() {
		String tenant = "ledger-" + UUID.randomUUID();
		Instant bucket = bucketInThisPeriod();
		MeteredUsage standard = delta(tenant, "claude-sonnet-4-5-20250929", ServiceTier.STANDARD, ContextTier.STANDARD,
				bucket, new TokenCounts(1_000_000, 200_000, 100_000, 50_000, 2_000_000, 0, 0));
		List<MeteredUsage> deltas = List.of(standard,
				delta(tenant, "claude-sonnet-4-5", ServiceTier.BATCH, ContextTier.STANDARD, bucket,
						new TokenCounts(1_000_000, 100_000, 0, 0, 0, 0, 0)),
				delta(tenant, "claude-sonnet-4-5", ServiceTier.STANDARD, ContextTier.LONG, bucket,
						new TokenCounts(300_000, 10_000, 0, 0, 0, 0, 0)),
				delta(tenant, "mystery-model-1", ServiceTier.STANDARD, ContextTier.STANDARD, bucket,
						new TokenCounts(1_000, 0, 0, 0, 0, 0, 0)),
				// Redelivered: must not be priced again.
				standard);
		publish(deltas);

		// 3 + 3 + 0.375 + 0.30 + 0.60 = 7.275 (standard)
		// 1.50 + 0.75 = 2.25 (batch)
		// 1.80 + 0.225 = 2.025 (long context)
		// 0.015 (unknown model at the fallback's input price)
		BigDecimal expected = new BigDecimal("11.565");
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(ledgerTotal(tenant)).isEqualByComparingTo(expected));
		assertThat(count("SELECT count(*) FROM ledger_entries WHERE tenant_id = :t", tenant)).isEqualTo(10);
		assertThat(count("SELECT count(*) FROM ledger_entries WHERE tenant_id = :t AND unpriced", tenant)).isEqualTo(1);
		assertThat(periodTotal(tenant, "", MeteredDeltas.utcMonthStart(bucket))).isEqualByComparingTo(expected);
		assertThat(periodTotal(tenant, "key-1", MeteredDeltas.utcMonthStart(bucket))).isEqualByComparingTo(expected);

		Map<String, Object> current = getJson(FrontDoor.asTenant(this.port, tenant, "key-1"), "/v1/spend/current");
		assertThat(current).containsEntry("spend_to_date", "11.565").containsEntry("currency", "USD");
		// No budget: no cap, whether left out or null.
		assertThat(current.get("cap")).isNull();
	}

	@Test
	void recordsTheUnitPriceAndAmountOfEachTokenKind() {
		String tenant = "ledger-lines-" + UUID.randomUUID();
		publish(List.of(delta(tenant, "claude-sonnet-4-5", ServiceTier.STANDARD, ContextTier.STANDARD,
				bucketInThisPeriod(), new TokenCounts(1_234_567, 0, 0, 0, 1, 0, 0))));
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(lines(tenant)).containsExactlyInAnyOrder(
					// 1,234,567 x 3 / 1e6 and 1 x 0.30 / 1e6, exact
					"input|1234567|3|3.703701", "cache_read|1|0.3|0.0000003"));
	}

	private static Instant bucketInThisPeriod() {
		return MeteredDeltas.recentBucketFrom(MeteredDeltas.utcMonthStart(TestClock.shared().instant()));
	}

	private static MeteredUsage delta(String tenant, String model, ServiceTier tier, ContextTier context,
			Instant bucket, TokenCounts tokens) {
		return MeteredDeltas.delta(tenant, "key-1", model, tier, context, bucket, tokens);
	}

	private static void publish(List<MeteredUsage> deltas) {
		MeteredDeltas.publish(deltas);
	}

	private BigDecimal ledgerTotal(String tenant) {
		return BillingDatabase.ledgerTotal(this.db, tenant);
	}

	private BigDecimal periodTotal(String tenant, String key, Instant period) {
		return BillingDatabase.periodTotal(this.db, tenant, key, period);
	}

	private long count(String sql, String tenant) {
		return BillingDatabase.count(this.db, sql, tenant);
	}

	private List<String> lines(String tenant) {
		List<String> lines = this.db
			.sql("SELECT token_kind, quantity, usd_per_mtok, amount FROM ledger_entries WHERE tenant_id = :t")
			.bind("t", tenant)
			.map((row) -> row.get(0, String.class) + "|" + row.get(1, Long.class) + "|"
					+ row.get(2, BigDecimal.class).stripTrailingZeros().toPlainString() + "|"
					+ row.get(3, BigDecimal.class).stripTrailingZeros().toPlainString())
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
		return (lines != null) ? lines : List.of();
	}

}
