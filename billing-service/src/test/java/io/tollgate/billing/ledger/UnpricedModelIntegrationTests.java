package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.billing.BillingIntegrationTest;
import io.tollgate.billing.FrontDoor;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.ServiceTier;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

import static io.tollgate.testsupport.ApiCalls.getBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A model the catalog does not know is never billed zero in silence: it is priced by the
 * provider's fallback model (Claude Opus 4.1 for Anthropic, $15 per million input
 * tokens), flagged unpriced in the ledger, and counted in a metric.
 */
@BillingIntegrationTest
class UnpricedModelIntegrationTests {

	private static final Pattern UNPRICED = Pattern
		.compile("tollgate_billing_unpriced_total\\{[^}]*provider=\"anthropic\"[^}]*} ([0-9.E]+)");

	@Autowired
	private DatabaseClient db;

	@LocalServerPort
	private int port;

	@Test
	void unknownModelIsPricedByTheFallbackFlaggedAndCounted() {
		String tenant = "unpriced-" + UUID.randomUUID();
		double before = unpricedQuotes();
		Instant bucket = MeteredDeltas.recentBucketFrom(MeteredDeltas.utcMonthStart(TestClock.shared().instant()));
		MeteredDeltas.publish(List.of(MeteredDeltas.delta(tenant, "key-1", "claude-mystery-9", ServiceTier.STANDARD,
				ContextTier.STANDARD, bucket, MeteredDeltas.input(1_000))));

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(entry(tenant)).isNotNull());
		Entry entry = entry(tenant);
		assertThat(entry.unpriced()).isTrue();
		assertThat(entry.pricedModel()).isEqualTo("claude-opus-4-1");
		// 1,000 x $15 / 1,000,000
		assertThat(entry.amount()).isEqualByComparingTo("0.015");
		assertThat(unpricedQuotes()).isGreaterThan(before);
	}

	private record Entry(boolean unpriced, String pricedModel, BigDecimal amount) {

	}

	private Entry entry(String tenant) {
		return this.db.sql("SELECT unpriced, priced_model, amount FROM ledger_entries WHERE tenant_id = :t")
			.bind("t", tenant)
			.map((row) -> new Entry(Boolean.TRUE.equals(row.get(0, Boolean.class)), row.get(1, String.class),
					row.get(2, BigDecimal.class)))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private double unpricedQuotes() {
		byte[] body = getBytes(FrontDoor.client(this.port), "/actuator/prometheus");
		Matcher matcher = UNPRICED.matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8));
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

}
