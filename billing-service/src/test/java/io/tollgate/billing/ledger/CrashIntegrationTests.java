package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tollgate.billing.BillingApplication;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.ServiceProcess;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.TestInfrastructure;
import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Billing run as a real process and killed with SIGKILL while it prices, twice, with
 * duplicate deltas in the stream: afterwards every delta is priced exactly once, and the
 * hourly spend and period totals agree with the ledger to the exact decimal. The test has
 * its own database and consumer group; it asserts only on its own tenants.
 */
@UsesKafka
@UsesPostgres
class CrashIntegrationTests {

	private static final int TENANTS = 4;

	// Claude Sonnet 4.5: 1,000 input tokens at $3/M and 100 output at $15/M.
	private static final TokenCounts TOKENS = new TokenCounts(1_000, 100, 0, 0, 0, 0, 0);

	private static final BigDecimal PER_DELTA = new BigDecimal("0.0045");

	private static final String INPUT_ENTRIES = "SELECT count(*) FROM ledger_entries WHERE tenant_id = ANY(:t) "
			+ "AND token_kind = 'input'";

	@Test
	void killNineWhilePricingNeitherLosesNorDoublesAnything() {
		PostgresService database = TestInfrastructure.freshPostgresDatabase();
		DatabaseClient db = DatabaseClient.create(database.connectionFactory());
		List<String> tenants = new ArrayList<>();
		for (int i = 0; i < TENANTS; i++) {
			tenants.add("crash-" + i + "-" + UUID.randomUUID());
		}
		Instant bucket = MeteredDeltas.recentBucketFrom(MeteredDeltas.utcMonthStart(TestClock.shared().instant()));
		try (ServiceProcess billing = service(database)) {
			billing.start();
			int unique = 0;
			for (int wave = 0; wave < 3; wave++) {
				List<MeteredUsage> deltas = deltas(tenants, bucket, 3000);
				// A tenth of the wave is delivered twice, as a retrying producer would.
				List<MeteredUsage> delivered = new ArrayList<>(deltas);
				delivered.addAll(deltas.subList(0, 300));
				MeteredDeltas.publish(delivered);
				unique += deltas.size();
				if (wave < 2) {
					long floor = unique - deltas.size() + 200;
					await().atMost(Duration.ofSeconds(90))
						.pollInterval(Duration.ofMillis(20))
						.until(() -> count(db, INPUT_ENTRIES, tenants) >= floor);
					billing.kill();
					assertThat(count(db, INPUT_ENTRIES, tenants)).isLessThanOrEqualTo(unique);
					billing.start();
				}
			}
			long expected = unique;
			await().atMost(Duration.ofSeconds(120)).until(() -> count(db, INPUT_ENTRIES, tenants) == expected);
			BigDecimal total = PER_DELTA.multiply(BigDecimal.valueOf(expected));
			assertThat(count(db, "SELECT count(*) FROM ledger_entries WHERE tenant_id = ANY(:t)", tenants))
				.isEqualTo(2 * expected);
			assertThat(
					count(db, "SELECT count(DISTINCT delta_id) FROM ledger_entries WHERE tenant_id = ANY(:t)", tenants))
				.isEqualTo(expected);
			assertThat(
					sum(db, "SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE tenant_id = ANY(:t)", tenants))
				.isEqualByComparingTo(total);
			assertThat(sum(db, "SELECT coalesce(sum(amount), 0) FROM spend_hour WHERE tenant_id = ANY(:t)", tenants))
				.isEqualByComparingTo(total);
			assertThat(sum(db,
					"SELECT coalesce(sum(amount), 0) FROM period_totals WHERE tenant_id = ANY(:t) AND api_key_id = ''",
					tenants))
				.isEqualByComparingTo(total);
			assertThat(sum(db,
					"SELECT coalesce(sum(amount), 0) FROM period_totals WHERE tenant_id = ANY(:t) AND api_key_id <> ''",
					tenants))
				.isEqualByComparingTo(total);
		}
	}

	private static ServiceProcess service(PostgresService database) {
		Map<String, String> properties = new HashMap<>();
		properties.put("tollgate.service.internal-token", "crash-test-internal-token");
		properties.put("spring.kafka.consumer.group-id", "billing-crash-" + UUID.randomUUID());
		properties.put("spring.kafka.consumer.max-poll-records", "300");
		properties.put("tollgate.billing.ledger.concurrency", "2");
		properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
		properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
		properties.put("tollgate.billing.cloud-events-source", "/tollgate/billing/" + database.database());
		return ServiceProcess.of("billing-crash", BillingApplication.class, database, properties);
	}

	private static List<MeteredUsage> deltas(List<String> tenants, Instant bucket, int count) {
		List<MeteredUsage> deltas = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			deltas.add(MeteredDeltas.delta(tenants.get(i % tenants.size()), "k" + (i % 3), "claude-sonnet-4-5",
					ServiceTier.STANDARD, ContextTier.STANDARD, bucket, TOKENS));
		}
		return deltas;
	}

	private static long count(DatabaseClient db, String sql, List<String> tenants) {
		Long count = db.sql(sql)
			.bind("t", tenants.toArray(String[]::new))
			.map((row) -> row.get(0, Long.class))
			.one()
			.onErrorReturn(0L)
			.block(Duration.ofSeconds(10));
		return (count != null) ? count : 0;
	}

	private static BigDecimal sum(DatabaseClient db, String sql, List<String> tenants) {
		BigDecimal sum = db.sql(sql)
			.bind("t", tenants.toArray(String[]::new))
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block(Duration.ofSeconds(10));
		return (sum != null) ? sum : BigDecimal.ZERO;
	}

}
