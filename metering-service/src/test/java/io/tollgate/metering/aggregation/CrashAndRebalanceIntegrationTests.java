package io.tollgate.metering.aggregation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.contract.EventCodec;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.metering.MeteringApplication;
import io.tollgate.metering.UsageEvents;
import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.ServiceProcess;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.TestInfrastructure;
import io.tollgate.testsupport.TopicReader;
import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metering run as real processes: killed with SIGKILL in the middle of its work, and two
 * instances sharing the topic through rebalances. Each test has its own database and
 * consumer group, so it counts the whole topic afresh; assertions look only at its own
 * tenants.
 */
@UsesKafka
@UsesPostgres
class CrashAndRebalanceIntegrationTests {

	private static final Instant HOUR = TestClock.shared()
		.instant()
		.truncatedTo(ChronoUnit.HOURS)
		.minus(2, ChronoUnit.HOURS);

	private static final int TENANTS = 6;

	@Test
	void killNineWhileCountingNeitherLosesNorDoublesAnything() {
		PostgresService database = TestInfrastructure.freshPostgresDatabase();
		DatabaseClient db = DatabaseClient.create(database.connectionFactory());
		List<String> tenants = tenants("kill");
		try (ServiceProcess metering = service("metering-kill", database)) {
			metering.start();
			int published = 0;
			for (int wave = 0; wave < 3; wave++) {
				List<UsageEvent> events = events(tenants, 3000);
				UsageEvents.publish(events);
				published += events.size();
				if (wave < 2) {
					// Kill while the wave is being counted: some of it is in, not all.
					long floor = published - events.size() + 200;
					await().atMost(UsageEvents.deadline())
						.pollInterval(Duration.ofMillis(20))
						.until(() -> requests(db, tenants) >= floor);
					metering.kill();
					assertThat(requests(db, tenants)).isLessThanOrEqualTo(published);
					metering.start();
				}
			}
			int expected = published;
			await().atMost(Duration.ofSeconds(120)).until(() -> requests(db, tenants) == expected);
			assertExactTotals(database, db, tenants, expected);
		}
	}

	@Test
	void twoInstancesThroughRebalancesCountLikeOne() throws Exception {
		PostgresService database = TestInfrastructure.freshPostgresDatabase();
		DatabaseClient db = DatabaseClient.create(database.connectionFactory());
		List<String> tenants = tenants("rebalance");
		String group = "metering-rebalance-" + UUID.randomUUID();
		try (ServiceProcess first = service("metering-a", database, group);
				ServiceProcess second = service("metering-b", database, group)) {
			first.start();
			UsageEvents.publish(events(tenants, 3000));
			second.start();
			UsageEvents.publish(events(tenants, 3000));
			await().atMost(UsageEvents.deadline()).until(() -> requests(db, tenants) >= 4000);
			double firstCounted = counted(first);
			first.stop();
			UsageEvents.publish(events(tenants, 3000));
			await().atMost(Duration.ofSeconds(120)).until(() -> requests(db, tenants) == 9000);
			assertThat(firstCounted).as("the first instance counted part of the stream").isPositive();
			assertThat(counted(second)).as("the second instance took partitions over").isPositive();
			assertExactTotals(database, db, tenants, 9000);
		}
	}

	private static ServiceProcess service(String name, PostgresService database) {
		return service(name, database, "metering-kill-" + UUID.randomUUID());
	}

	private static ServiceProcess service(String name, PostgresService database, String group) {
		Map<String, String> properties = new HashMap<>();
		properties.put("tollgate.service.internal-token", "resilience-test-internal-token");
		properties.put("spring.kafka.consumer.group-id", group);
		properties.put("spring.kafka.consumer.max-poll-records", "300");
		properties.put("tollgate.metering.topics.partitions", "6");
		properties.put("tollgate.metering.aggregation.concurrency", "2");
		// The broker's minimum: a killed instance's partitions are reassigned quickly.
		properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
		properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
		properties.put("tollgate.metering.cloud-events-source", "/tollgate/metering/" + database.database());
		return ServiceProcess.of(name, MeteringApplication.class, database, properties);
	}

	private static List<String> tenants(String label) {
		List<String> tenants = new ArrayList<>();
		for (int i = 0; i < TENANTS; i++) {
			tenants.add(UsageEvents.freshTenant(label + i));
		}
		return tenants;
	}

	/**
	 * Events spread over the tenants, two keys and 90 minutes; each has input 3, output
	 * 2.
	 */
	private static List<UsageEvent> events(List<String> tenants, int count) {
		List<UsageEvent> events = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			events.add(UsageEvents.simple(tenants.get(i % tenants.size()), "k" + (i % 2),
					HOUR.plusSeconds((i * 7L) % 5400), 3, 2));
		}
		return events;
	}

	private static void assertExactTotals(PostgresService database, DatabaseClient db, List<String> tenants,
			long expected) {
		for (String table : List.of("usage_minute", "usage_hour", "usage_day")) {
			assertThat(sum(db, table, "requests", tenants)).as(table + " requests").isEqualTo(expected);
			assertThat(sum(db, table, "input_tokens", tenants)).as(table + " input").isEqualTo(expected * 3);
			assertThat(sum(db, table, "output_tokens", tenants)).as(table + " output").isEqualTo(expected * 2);
		}
		// Billing's view: the deltas of this deployment, each id priced once, add up to
		// the
		// same totals. Other deployments (the other tests' databases) count the same
		// events.
		String source = "/tollgate/metering/" + database.database();
		long deltaRequests = 0;
		long deltaInput = 0;
		for (String tenant : tenants) {
			long tenantRequests = sum(db, "usage_day", "requests", List.of(tenant));
			Map<String, MeteredUsage> unique = new HashMap<>();
			await().atMost(UsageEvents.deadline()).untilAsserted(() -> {
				unique.clear();
				TopicReader.recordsWithKey(Topics.METERED_USAGE.name(), tenant, 1, UsageEvents.deadline())
					.stream()
					.filter((record) -> source.equals(new String(record.headers().lastHeader("ce_source").value(),
							java.nio.charset.StandardCharsets.UTF_8)))
					.forEach((record) -> {
						MeteredUsage delta = EventCodec.shared().decodeOrThrow(record.value(), MeteredUsage.class);
						unique.put(delta.deltaId(), delta);
					});
				assertThat(unique.values().stream().mapToLong(MeteredUsage::requests).sum())
					.isGreaterThanOrEqualTo(tenantRequests);
			});
			deltaRequests += unique.values().stream().mapToLong(MeteredUsage::requests).sum();
			deltaInput += unique.values().stream().mapToLong((delta) -> delta.tokens().input()).sum();
		}
		assertThat(deltaRequests).as("requests in distinct deltas").isEqualTo(expected);
		assertThat(deltaInput).as("input tokens in distinct deltas").isEqualTo(expected * 3);
	}

	private static long requests(DatabaseClient db, List<String> tenants) {
		return sum(db, "usage_day", "requests", tenants);
	}

	private static long sum(DatabaseClient db, String table, String column, List<String> tenants) {
		Long sum = db
			.sql("SELECT coalesce(sum(" + column + "), 0)::bigint FROM " + table + " WHERE tenant_id = ANY(:tenants)")
			.bind("tenants", tenants.toArray(String[]::new))
			.map((row) -> row.get(0, Long.class))
			.one()
			.onErrorReturn(0L)
			.block(Duration.ofSeconds(10));
		return (sum != null) ? sum : 0;
	}

	private static final Pattern COUNTED = Pattern
		.compile("tollgate_metering_events_total\\{[^}]*result=\"counted\"[^}]*} ([0-9.E]+)");

	private static double counted(ServiceProcess service) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString());
		Matcher matcher = COUNTED.matcher(response.body());
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

}
