package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.tollgate.billing.BillingDatabase;
import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.billing.catalog.PriceBook;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
import static org.awaitility.Awaitility.await;

/**
 * Price corrections through the admin API, against the ledger the consumer wrote. Claude
 * Sonnet 4.5 standard input is $3 per million tokens, output $15, batch input $1.50;
 * Claude Opus 4.1 (the Anthropic fallback) is $15 input. A correction applies to every
 * tenant's usage in its range, so each test corrects its own day of October 2025, which
 * no other test uses, and asserts on its own tenants.
 */
@BillingIntegrationTest
class CorrectionIntegrationTests {

	private static final String SONNET = "claude-sonnet-4-5";

	private static final Instant OCTOBER = Instant.parse("2025-10-01T00:00:00Z");

	/** Every column of a tenant's usage entries, in id order. */
	private static final String USAGE_CHECKSUM = "SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', "
			+ "id, entry_type, delta_id, api_key_id, model, priced_model, unpriced, service_tier, context_tier, "
			+ "token_kind, usage_at, quantity, usd_per_mtok, amount, price_id, correction_id, recorded_at), ',' "
			+ "ORDER BY id)), '') FROM ledger_entries WHERE tenant_id = :t AND entry_type = 'usage'";

	@Autowired
	private DatabaseClient db;

	@Autowired
	private PriceBook book;

	@Autowired
	private ConnectionFactory connections;

	@LocalServerPort
	private int port;

	@Test
	void adjustsExactlyTheEntriesInItsRangeWithoutRewritingAny() {
		String tenant = "correct-" + UUID.randomUUID();
		String other = "correct-other-" + UUID.randomUUID();
		MeteredDeltas.publish(List.of(
				// Before the range: 3.00
				sonnet(tenant, "key-1", "2025-10-06T09:59:00Z", MeteredDeltas.input(1_000_000)),
				// In the range, one quarter hour: 3.00 + 0.75
				sonnet(tenant, "key-1", "2025-10-06T10:00:00Z", MeteredDeltas.input(1_000_000)),
				sonnet(tenant, "key-1", "2025-10-06T10:05:00Z", MeteredDeltas.input(250_000)),
				// Another key: input 1.50 (corrected), output 1.50 (another kind)
				sonnet(tenant, "key-2", "2025-10-06T10:14:00Z", new TokenCounts(500_000, 100_000, 0, 0, 0, 0, 0)),
				// Reported under a snapshot name: 6.00
				MeteredDeltas.delta(tenant, "key-1", "claude-sonnet-4-5-20250929", ServiceTier.STANDARD,
						ContextTier.STANDARD, Instant.parse("2025-10-06T11:59:00Z"), MeteredDeltas.input(2_000_000)),
				// At the end of the range, so after it: 3.00
				sonnet(tenant, "key-1", "2025-10-06T12:00:00Z", MeteredDeltas.input(1_000_000)),
				// Another tier: 1.50
				MeteredDeltas.delta(tenant, "key-1", SONNET, ServiceTier.BATCH, ContextTier.STANDARD,
						Instant.parse("2025-10-06T10:30:00Z"), MeteredDeltas.input(1_000_000)),
				// Another tenant in the range: 3.00
				sonnet(other, "key-1", "2025-10-06T10:45:00Z", MeteredDeltas.input(1_000_000))));
		awaitEntries(tenant, 8);
		awaitEntries(other, 1);
		// 3 + 3 + 0.75 + 1.50 + 1.50 + 6 + 3 + 1.50
		assertThat(ledgerTotal(tenant)).isEqualByComparingTo("20.25");
		String usageBefore = usageChecksum(tenant);

		Map<String, Object> correction = correct(SONNET, "standard", "standard", "input", "2.40",
				"2025-10-06T10:00:00Z", "2025-10-06T12:00:00Z");

		assertThat(correction).containsEntry("provider", "anthropic")
			.containsEntry("model", SONNET)
			.containsEntry("service_tier", "standard")
			.containsEntry("context_tier", "standard")
			.containsEntry("token_kind", "input")
			.containsEntry("usd_per_mtok", "2.40")
			.containsEntry("from", "2025-10-06T10:00:00Z")
			.containsEntry("to", "2025-10-06T12:00:00Z")
			.containsEntry("reason", "test correction");
		// Re-priced at 2.40 instead of 3: 1,250,000 (two entries, one quarter hour): 3.00
		// -
		// 3.75 = -0.75; key-2's 500,000: 1.20 - 1.50 = -0.30; 2,000,000: 4.80 - 6.00 =
		// -1.20; the other tenant's 1,000,000: 2.40 - 3.00 = -0.60. Net -2.85.
		assertThat(map(correction, "summary")).containsEntry("entries_adjusted", 5)
			.containsEntry("adjustment_entries", 8)
			.containsEntry("tenants_affected", 2)
			.containsEntry("net_amount", "-2.85");
		long id = ((Number) correction.get("id")).longValue();
		assertThat(adjustments(tenant)).containsExactly(
				"key-1|claude-sonnet-4-5|2025-10-06T10:00:00Z|-1250000|3|-3.75|" + id,
				"key-1|claude-sonnet-4-5|2025-10-06T10:00:00Z|1250000|2.4|3|" + id,
				"key-1|claude-sonnet-4-5-20250929|2025-10-06T11:45:00Z|-2000000|3|-6|" + id,
				"key-1|claude-sonnet-4-5-20250929|2025-10-06T11:45:00Z|2000000|2.4|4.8|" + id,
				"key-2|claude-sonnet-4-5|2025-10-06T10:00:00Z|-500000|3|-1.5|" + id,
				"key-2|claude-sonnet-4-5|2025-10-06T10:00:00Z|500000|2.4|1.2|" + id);
		assertThat(adjustments(other)).containsExactly(
				"key-1|claude-sonnet-4-5|2025-10-06T10:45:00Z|-1000000|3|-3|" + id,
				"key-1|claude-sonnet-4-5|2025-10-06T10:45:00Z|1000000|2.4|2.4|" + id);
		// No usage entry was updated or deleted.
		assertThat(usageChecksum(tenant)).isEqualTo(usageBefore);
		// 20.25 - 0.75 - 0.30 - 1.20 = 18.00; key-2: 3.00 - 0.30 = 2.70
		assertSpendMatchesLedger(tenant, "18.00");
		assertThat(periodTotal(tenant, "key-2")).isEqualByComparingTo("2.70");
		assertThat(periodTotal(tenant, "key-1")).isEqualByComparingTo("15.30");
		assertSpendMatchesLedger(other, "2.40");

		Map<String, Object> listed = getJson(FrontDoor.asAdmin(this.port),
				"/admin/v1/prices/corrections?provider=anthropic&model=" + SONNET);
		assertThat(list(listed, "data")).anySatisfy((listedCorrection) -> {
			assertThat(listedCorrection).containsEntry("id", correction.get("id"))
				.containsEntry("usd_per_mtok", "2.40")
				.containsEntry("created_at", correction.get("created_at"));
			assertThat(map(listedCorrection, "summary")).isEqualTo(map(correction, "summary"));
		});
	}

	@Test
	void aSecondCorrectionOfTheRangeNetsOutAndLateDeltasTakeTheLatestPrice() {
		String tenant = "correct-twice-" + UUID.randomUUID();
		MeteredDeltas.publish(List.of(sonnet(tenant, "key-1", "2025-10-07T10:00:00Z", MeteredDeltas.input(1_000_000))));
		awaitEntries(tenant, 1);

		// 1,000,000 at 3 -> 2: 2.00 - 3.00
		Map<String, Object> first = correct(SONNET, "standard", "standard", "input", "2", "2025-10-07T10:00:00Z",
				"2025-10-07T11:00:00Z");
		assertThat(map(first, "summary")).containsEntry("entries_adjusted", 1)
			.containsEntry("adjustment_entries", 2)
			.containsEntry("tenants_affected", 1)
			.containsEntry("net_amount", "-1.00");
		// What is billed at 2 (the first correction's re-pricing entry) -> 2.50: 2.50 -
		// 2.00; nothing is left at 3.
		Map<String, Object> second = correct(SONNET, "standard", "standard", "input", "2.50", "2025-10-07T10:00:00Z",
				"2025-10-07T11:00:00Z");
		assertThat(map(second, "summary")).containsEntry("entries_adjusted", 1)
			.containsEntry("adjustment_entries", 2)
			.containsEntry("tenants_affected", 1)
			.containsEntry("net_amount", "0.50");
		assertThat(quantitiesByPrice(tenant)).containsExactly("2|0", "2.5|1000000", "3|0");
		// 3.00 - 1.00 + 0.50
		assertSpendMatchesLedger(tenant, "2.50");

		// A delta of the range arriving now is priced at the latest correction's price.
		MeteredDeltas.publish(List.of(sonnet(tenant, "key-1", "2025-10-07T10:30:00Z", MeteredDeltas.input(1_000_000)),
				// Outside the range: the version's price.
				sonnet(tenant, "key-1", "2025-10-07T11:00:00Z", MeteredDeltas.input(1_000_000))));
		awaitEntries(tenant, 7);
		long secondId = ((Number) second.get("id")).longValue();
		assertThat(usage(tenant)).containsExactly("2025-10-07T10:00:00Z|3|3|null",
				"2025-10-07T10:30:00Z|2.5|2.5|" + secondId, "2025-10-07T11:00:00Z|3|3|null");
		// 2.50 + 2.50 + 3.00
		assertSpendMatchesLedger(tenant, "8.00");
	}

	@Test
	void aDeltaPricedWhileAnotherInstanceStoresACorrectionWaitsAndTakesItsPrice() {
		String tenant = "correct-elsewhere-" + UUID.randomUUID();
		long id;
		// Another instance's correction transaction, holding the pricing lock: stored but
		// not committed, unknown to this instance's price book.
		Connection connection = Mono.from(this.connections.create()).block(Duration.ofSeconds(10));
		assertThat(connection).isNotNull();
		try {
			Mono.from(connection.beginTransaction()).block(Duration.ofSeconds(10));
			Flux.from(connection.createStatement("SELECT pg_advisory_xact_lock(" + PricingLock.KEY + ")").execute())
				.flatMap((result) -> result.map((row, metadata) -> 1))
				.blockLast(Duration.ofSeconds(10));
			Long stored = Flux
				.from(connection.createStatement("INSERT INTO price_corrections (provider, model, "
						+ "service_tier, context_tier, token_kind, usd_per_mtok, usage_from, usage_to, reason, "
						+ "entries_adjusted, adjustment_entries, tenants_affected, net_amount) VALUES ('anthropic', "
						+ "'claude-sonnet-4-5', 'standard', 'standard', 'output', 10, '2025-10-08T00:00:00Z', "
						+ "'2025-10-09T00:00:00Z', 'elsewhere', 0, 0, 0, 0) RETURNING id")
					.execute())
				.flatMap((result) -> result.map((row, metadata) -> row.get(0, Long.class)))
				.blockFirst();
			assertThat(stored).isNotNull();
			id = stored;

			MeteredDeltas.publish(List
				.of(sonnet(tenant, "key-1", "2025-10-08T12:00:00Z", new TokenCounts(1_000, 1_000_000, 0, 0, 0, 0, 0))));
			// The batch waits for the lock rather than price with what this book holds.
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(10))
				.until(() -> entries(tenant) == 0 && this.book.correctionWatermark() < id);
			Mono.from(connection.commitTransaction()).block(Duration.ofSeconds(10));
		}
		finally {
			Mono.from(connection.close()).block(Duration.ofSeconds(10));
		}
		awaitEntries(tenant, 2);
		// Input at the version's 3: 0.003; output corrected from 15 to 10: 10.00.
		assertThat(this.db
			.sql("SELECT token_kind, usd_per_mtok, amount, correction_id, price_id IS NOT NULL FROM ledger_entries "
					+ "WHERE tenant_id = :t ORDER BY token_kind")
			.bind("t", tenant)
			.map((row) -> row.get(0, String.class) + "|" + plain(row.get(1, BigDecimal.class)) + "|"
					+ plain(row.get(2, BigDecimal.class)) + "|" + row.get(3, Long.class) + "|"
					+ row.get(4, Boolean.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10))).containsExactly("input|3|0.003|null|true", "output|10|10|" + id + "|true");
		assertSpendMatchesLedger(tenant, "10.003");
	}

	@Test
	void correctsUnpricedUsageThatTheCorrectedModelPricedAsFallback() {
		String tenant = "correct-unpriced-" + UUID.randomUUID();
		MeteredDeltas.publish(List.of(MeteredDeltas.delta(tenant, "key-1", "claude-mystery-7", ServiceTier.STANDARD,
				ContextTier.STANDARD, Instant.parse("2025-10-09T10:00:00Z"), MeteredDeltas.input(1_000))));
		awaitEntries(tenant, 1);
		// 1,000 at the fallback's 15: 0.015; corrected to 12: 0.012, net -0.003.
		Map<String, Object> correction = correct("claude-opus-4-1", "standard", "standard", "input", "12",
				"2025-10-09T10:00:00Z", "2025-10-09T11:00:00Z");
		assertThat(map(correction, "summary")).containsEntry("tenants_affected", 1)
			.containsEntry("net_amount", "-0.003");
		// Spend stays under the reported model, flagged unpriced.
		assertThat(this.db
			.sql("SELECT model, unpriced, usd_per_mtok, quantity FROM spend_hour WHERE tenant_id = :t "
					+ "ORDER BY usd_per_mtok")
			.bind("t", tenant)
			.map((row) -> row.get(0, String.class) + "|" + row.get(1, Boolean.class) + "|"
					+ plain(row.get(2, BigDecimal.class)) + "|" + row.get(3, Long.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10)))
			.containsExactly("claude-mystery-7|true|12|1000", "claude-mystery-7|true|15|0");
		assertSpendMatchesLedger(tenant, "0.012");
	}

	@Test
	void deltasPricedWhileACorrectionIsMadeEndAtTheCorrectedPrice() throws Exception {
		String tenant = "correct-racing-" + UUID.randomUUID();
		int rounds = 6;
		int perRound = 300;
		Instant day = Instant.parse("2025-10-10T00:00:00Z");
		CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
			for (int round = 0; round < rounds; round++) {
				List<MeteredUsage> deltas = new ArrayList<>();
				for (int i = 0; i < perRound; i++) {
					Instant bucket = day.plus((round * perRound + i) % 1440, ChronoUnit.MINUTES);
					deltas.add(MeteredDeltas.delta(tenant, "key-" + (i % 3), SONNET, ServiceTier.STANDARD,
							ContextTier.STANDARD, bucket, MeteredDeltas.input(1_000)));
				}
				MeteredDeltas.publish(deltas);
				int priced = (round + 1) * perRound;
				await().atMost(Duration.ofSeconds(60)).until(() -> entries(tenant) >= priced / 2);
			}
		});
		await().atMost(Duration.ofSeconds(60)).until(() -> entries(tenant) > 0);
		correct(SONNET, "standard", "standard", "input", "2.00", "2025-10-10T00:00:00Z", "2025-10-11T00:00:00Z");
		stream.get();
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(count(
					"SELECT count(*) FROM ledger_entries WHERE tenant_id = :t " + "AND entry_type = 'usage'", tenant))
				.isEqualTo(rounds * perRound));
		// 1,800 deltas of 1,000 tokens, all at 2.00 in the end: 3.60. Nothing is left
		// billed at 3, whenever each delta was priced.
		// Some were priced at 3 before the correction (it waited for one), and reversed.
		assertThat(quantitiesByPrice(tenant)).containsExactly("2|1800000", "3|0");
		assertSpendMatchesLedger(tenant, "3.60");
	}

	@Test
	void refusesInvalidCorrectionsNamingTheParameter() {
		String valid = body(SONNET, "standard", "standard", "input", "2.40", "2025-10-20T00:00:00Z",
				"2025-10-21T00:00:00Z");
		expectInvalid(valid.replace("\"anthropic\"", "\"mistral\""), "provider");
		// A reported name is not a catalog model, nor is an unknown name.
		expectInvalid(valid.replace(SONNET, "claude-sonnet-4-5-20250929"), "model");
		expectInvalid(valid.replace(SONNET, "claude-unknown-9"), "model");
		expectInvalid(valid.replace("\"input\"", "\"reasoning\""), "token_kind");
		expectInvalid(valid.replace("\"2.40\"", "\"-1\""), "usd_per_mtok");
		expectInvalid(valid.replace("2025-10-20T00:00:00Z", "last week"), "from");
		expectInvalid(valid.replace("2025-10-21T00:00:00Z", "2025-10-19T00:00:00Z"), "to");
		expectInvalid(valid.replace("2025-10-21T00:00:00Z",
				TestClock.shared().instant().plus(Duration.ofHours(1)).toString()), "to");
		expectInvalid(valid.replace("\"reason\"", "\"why\""), "why");
		expectInvalid("", "body");
		expectInvalidParameter(
				FrontDoor.asAdmin(this.port).get().uri("/admin/v1/prices/corrections?provider=mistral").exchange(),
				"provider");
		assertThat(count("SELECT count(*) FROM price_corrections WHERE usage_from = '2025-10-20T00:00:00Z'", ""))
			.isZero();
	}

	@Test
	void refusesTenantCallers() {
		WebTestClient tenant = FrontDoor.asTenant(this.port, "tenant-" + UUID.randomUUID(), "key-1");
		expectError(post(tenant,
				body(SONNET, "standard", "standard", "input", "0", "2025-10-20T00:00:00Z", "2025-10-21T00:00:00Z")),
				HttpStatus.FORBIDDEN, "admin_required");
		expectError(tenant.get().uri("/admin/v1/prices/corrections").exchange(), HttpStatus.FORBIDDEN,
				"admin_required");
		FrontDoor.client(this.port)
			.get()
			.uri("/admin/v1/prices/corrections")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	private static MeteredUsage sonnet(String tenant, String key, String bucket, TokenCounts tokens) {
		return MeteredDeltas.delta(tenant, key, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD,
				Instant.parse(bucket), tokens);
	}

	private Map<String, Object> correct(String model, String tier, String context, String kind, String price,
			String from, String to) {
		return jsonObject(post(FrontDoor.asAdmin(this.port), body(model, tier, context, kind, price, from, to)),
				HttpStatus.CREATED);
	}

	private static String body(String model, String tier, String context, String kind, String price, String from,
			String to) {
		return """
				{"provider": "anthropic", "model": "%s", "service_tier": "%s", "context_tier": "%s",
				 "token_kind": "%s", "usd_per_mtok": "%s", "from": "%s", "to": "%s",
				 "reason": "test correction"}""".formatted(model, tier, context, kind, price, from, to);
	}

	private void expectInvalid(String body, String param) {
		expectInvalidParameter(post(FrontDoor.asAdmin(this.port), body), param);
	}

	private static WebTestClient.ResponseSpec post(WebTestClient client, String body) {
		return postJson(client, "/admin/v1/prices/corrections", body);
	}

	/**
	 * The ledger, the hourly spend and the period totals (tenant and keys) agree, to the
	 * exact decimal, on the expected total.
	 */
	private void assertSpendMatchesLedger(String tenant, String expected) {
		assertThat(ledgerTotal(tenant)).isEqualByComparingTo(expected);
		assertThat(sum("SELECT coalesce(sum(amount), 0) FROM spend_hour WHERE tenant_id = :t", tenant))
			.isEqualByComparingTo(expected);
		assertThat(periodTotal(tenant, "")).isEqualByComparingTo(expected);
		assertThat(sum("SELECT coalesce(sum(amount), 0) FROM period_totals WHERE tenant_id = :t AND api_key_id <> ''",
				tenant))
			.isEqualByComparingTo(expected);
	}

	private void awaitEntries(String tenant, long entries) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(entries(tenant)).isEqualTo(entries));
	}

	private long entries(String tenant) {
		return count("SELECT count(*) FROM ledger_entries WHERE tenant_id = :t", tenant);
	}

	private BigDecimal ledgerTotal(String tenant) {
		return BillingDatabase.ledgerTotal(this.db, tenant);
	}

	/** Period-to-date spend in October 2025 (a tenant without a budget: UTC months). */
	private BigDecimal periodTotal(String tenant, String key) {
		return BillingDatabase.periodTotal(this.db, tenant, key, OCTOBER);
	}

	private List<String> adjustments(String tenant) {
		return strings("SELECT api_key_id, model, usage_at, quantity, usd_per_mtok, amount, correction_id "
				+ "FROM ledger_entries WHERE tenant_id = :t AND entry_type = 'adjustment' "
				+ "ORDER BY api_key_id, model, usage_at, quantity", tenant, 7);
	}

	/** Per unit price, the net quantity billed (usage and adjustments). */
	private List<String> quantitiesByPrice(String tenant) {
		return strings("SELECT usd_per_mtok, sum(quantity) FROM ledger_entries WHERE tenant_id = :t "
				+ "GROUP BY usd_per_mtok ORDER BY usd_per_mtok", tenant, 2);
	}

	private List<String> usage(String tenant) {
		return strings("SELECT usage_at, usd_per_mtok, amount, correction_id FROM ledger_entries WHERE tenant_id = :t "
				+ "AND entry_type = 'usage' ORDER BY usage_at", tenant, 4);
	}

	private List<String> strings(String sql, String tenant, int columns) {
		List<String> rows = this.db.sql(sql).bind("t", tenant).map((row) -> {
			List<String> values = new ArrayList<>();
			for (int i = 0; i < columns; i++) {
				Object value = row.get(i);
				values.add(switch (value) {
					case BigDecimal decimal -> plain(decimal);
					case java.time.OffsetDateTime time -> time.toInstant().toString();
					case null -> "null";
					default -> value.toString();
				});
			}
			return String.join("|", values);
		}).all().collectList().block(Duration.ofSeconds(10));
		return (rows != null) ? rows : List.of();
	}

	private BigDecimal sum(String sql, String tenant) {
		return BillingDatabase.sum(this.db, sql, tenant);
	}

	private long count(String sql, String tenant) {
		return BillingDatabase.count(this.db, sql, tenant);
	}

	private String usageChecksum(String tenant) {
		return this.db.sql(USAGE_CHECKSUM)
			.bind("t", tenant)
			.map((row) -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private static String plain(BigDecimal value) {
		return value.stripTrailingZeros().toPlainString();
	}

}
