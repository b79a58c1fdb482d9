package io.tollgate.metering.aggregation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Outcome;
import io.tollgate.contract.Provider;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.metering.MeteringIntegrationTest;
import io.tollgate.metering.UsageEvents;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@MeteringIntegrationTest
class AggregationIntegrationTests {

	private static final Instant DAY = TestClock.shared()
		.instant()
		.truncatedTo(ChronoUnit.DAYS)
		.minus(2, ChronoUnit.DAYS);

	@Autowired
	private DatabaseClient db;

	@Autowired
	private MeterRegistry registry;

	@Test
	void countsScriptedMixExactlyInMinuteHourAndDayBuckets() {
		String a = UsageEvents.freshTenant("mix-a");
		String b = UsageEvents.freshTenant("mix-b");
		UsageEvent first = UsageEvents.event(a, "k1", Provider.ANTHROPIC, "claude-sonnet-4-5", at(10, 0, 5),
				Outcome.SUCCESS, new TokenCounts(100, 50, 10, 0, 200, 0, 1));
		List<UsageEvent> events = List.of(first,
				UsageEvents.event(a, "k1", Provider.ANTHROPIC, "claude-sonnet-4-5", at(10, 0, 40), Outcome.SUCCESS,
						new TokenCounts(300, 70, 0, 20, 0, 0, 0)),
				UsageEvents.event(a, "k1", Provider.ANTHROPIC, "claude-sonnet-4-5", at(10, 1, 10),
						Outcome.UPSTREAM_ERROR, TokenCounts.ZERO),
				UsageEvents.event(a, "k2", Provider.ANTHROPIC, "claude-sonnet-4-5", at(10, 0, 30),
						Outcome.CLIENT_ABORTED, new TokenCounts(40, 5, 0, 0, 0, 0, 0)),
				UsageEvents.event(a, "k1", Provider.OPENAI, "gpt-4o", at(11, 30, 0), Outcome.SUCCESS,
						new TokenCounts(1000, 400, 0, 0, 500, 100, 0)),
				UsageEvents.event(a, "k1", Provider.ANTHROPIC, "claude-sonnet-4-5", at(24 + 9, 0, 0), Outcome.SUCCESS,
						new TokenCounts(7, 3, 0, 0, 0, 0, 0)),
				UsageEvents.event(b, "k3", Provider.ANTHROPIC, "claude-sonnet-4-5", at(10, 0, 10), Outcome.SUCCESS,
						new TokenCounts(11, 13, 0, 0, 0, 0, 0)),
				// The ingest API lets a client post the same event again.
				first);
		UsageEvents.publish(events);

		// key|provider|model|bucket: requests, successes, errors, aborts | input, output,
		// 5m, 1h, cache read, reasoning, tools
		await().atMost(UsageEvents.deadline())
			.untilAsserted(() -> assertThat(rows("usage_day", a)).containsExactlyInAnyOrder(
					"k1|anthropic|claude-sonnet-4-5|" + at(0, 0, 0) + "|3,2,1,0|400,120,10,20,200,0,1",
					"k2|anthropic|claude-sonnet-4-5|" + at(0, 0, 0) + "|1,0,0,1|40,5,0,0,0,0,0",
					"k1|openai|gpt-4o|" + at(0, 0, 0) + "|1,1,0,0|1000,400,0,0,500,100,0",
					"k1|anthropic|claude-sonnet-4-5|" + at(24, 0, 0) + "|1,1,0,0|7,3,0,0,0,0,0"));
		assertThat(rows("usage_hour", a)).containsExactlyInAnyOrder(
				"k1|anthropic|claude-sonnet-4-5|" + at(10, 0, 0) + "|3,2,1,0|400,120,10,20,200,0,1",
				"k2|anthropic|claude-sonnet-4-5|" + at(10, 0, 0) + "|1,0,0,1|40,5,0,0,0,0,0",
				"k1|openai|gpt-4o|" + at(11, 0, 0) + "|1,1,0,0|1000,400,0,0,500,100,0",
				"k1|anthropic|claude-sonnet-4-5|" + at(24 + 9, 0, 0) + "|1,1,0,0|7,3,0,0,0,0,0");
		assertThat(rows("usage_minute", a)).containsExactlyInAnyOrder(
				"k1|anthropic|claude-sonnet-4-5|" + at(10, 0, 0) + "|2,2,0,0|400,120,10,20,200,0,1",
				"k1|anthropic|claude-sonnet-4-5|" + at(10, 1, 0) + "|1,0,1,0|0,0,0,0,0,0,0",
				"k2|anthropic|claude-sonnet-4-5|" + at(10, 0, 0) + "|1,0,0,1|40,5,0,0,0,0,0",
				"k1|openai|gpt-4o|" + at(11, 30, 0) + "|1,1,0,0|1000,400,0,0,500,100,0",
				"k1|anthropic|claude-sonnet-4-5|" + at(24 + 9, 0, 0) + "|1,1,0,0|7,3,0,0,0,0,0");
		assertThat(rows("usage_day", b))
			.containsExactly("k3|anthropic|claude-sonnet-4-5|" + at(0, 0, 0) + "|1,1,0,0|11,13,0,0,0,0,0");
	}

	@Test
	void publishesDeltasWhoseSumIsTheAggregateWithDistinctIds() {
		String tenant = UsageEvents.freshTenant("deltas");
		List<UsageEvent> events = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			events.add(UsageEvents.simple(tenant, "k" + (i % 3), at(12, i % 7, 0), 10 + i, 1));
		}
		UsageEvents.publish(events);
		UsageEvents.publish(events.subList(0, 10));
		List<MeteredUsage> deltas = new ArrayList<>();
		await().atMost(UsageEvents.deadline()).untilAsserted(() -> {
			deltas.clear();
			TopicReader.recordsWithKey(Topics.METERED_USAGE.name(), tenant, 1, UsageEvents.deadline())
				.forEach((record) -> deltas.add(EventCodec.shared().decodeOrThrow(record.value(), MeteredUsage.class)));
			assertThat(deltas.stream().mapToLong(MeteredUsage::requests).sum()).isEqualTo(50);
		});
		Set<String> ids = new HashSet<>();
		deltas.forEach(
				(delta) -> assertThat(ids.add(delta.deltaId())).as("delta id %s is unique", delta.deltaId()).isTrue());
		// 50 events of input 10..59: sum = 50 * 10 + (0 + ... + 49)
		assertThat(deltas.stream().mapToLong((delta) -> delta.tokens().input()).sum()).isEqualTo(500 + 1225);
		assertThat(deltas).allSatisfy((delta) -> {
			assertThat(delta.bucketWidth().wire()).isEqualTo("1m");
			assertThat(delta.requests()).isEqualTo(delta.successes() + delta.upstreamErrors() + delta.clientAborts());
		});
	}

	@Test
	void sendsInvalidAndTooLateEventsToDeadLetterTopicWithReasonsAndKeepsCounting() {
		String tenant = UsageEvents.freshTenant("dlt");
		double before = deadLetterCount();
		UsageEvents.publishRaw(tenant, "{not json".getBytes(StandardCharsets.UTF_8));
		UsageEvent valid = UsageEvents.simple(tenant, "k1", at(9, 0, 0), 5, 5);
		String negative = EventCodec.shared()
			.encodeToString(valid)
			.replace(valid.eventId(), UsageEvents.simple(tenant, "k1", at(9, 0, 0), 1, 1).eventId())
			.replace("\"input\":5", "\"input\":-5");
		UsageEvents.publishRaw(tenant, negative.getBytes(StandardCharsets.UTF_8));
		UsageEvents.publish(
				List.of(UsageEvents.simple(tenant, "k1", TestClock.shared().instant().minus(Duration.ofDays(40)), 9, 9),
						valid));

		await().atMost(UsageEvents.deadline())
			.untilAsserted(() -> assertThat(rows("usage_day", tenant))
				.containsExactly("k1|anthropic|claude-sonnet-4-5|" + at(0, 0, 0) + "|1,1,0,0|5,5,0,0,0,0,0"));
		List<ConsumerRecord<String, byte[]>> letters = TopicReader.recordsWithKey(Topics.USAGE.deadLetter(), tenant, 3,
				UsageEvents.deadline());
		assertThat(letters).hasSize(3);
		assertThat(letters).map((letter) -> header(letter, "tollgate-dlt-reason"))
			.containsExactlyInAnyOrder("invalid", "invalid", "too_late");
		assertThat(letters).allSatisfy((letter) -> {
			assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(Topics.USAGE.name());
			assertThat(header(letter, "tollgate-dlt-violations")).startsWith("[{\"field\"");
		});
		assertThat(letters).anySatisfy((letter) -> {
			assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(negative);
			assertThat(header(letter, "tollgate-dlt-violations")).contains("tokens.input").contains("negative");
		});
		assertThat(letters)
			.anySatisfy((letter) -> assertThat(header(letter, "tollgate-dlt-violations")).contains("completed_at")
				.contains("lateness window"));
		assertThat(deadLetterCount() - before).isGreaterThanOrEqualTo(3);
	}

	private double deadLetterCount() {
		return this.registry.counter("tollgate.metering.events", "result", "dead_letter").count();
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "";
	}

	private static Instant at(int hours, int minutes, int seconds) {
		return DAY.plus(Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(seconds));
	}

	private List<String> rows(String table, String tenant) {
		return rows(this.db, table, tenant);
	}

	static List<String> rows(DatabaseClient db, String table, String tenant) {
		List<String> rows = db.sql("SELECT * FROM " + table + " WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get("api_key_id", String.class) + "|" + row.get("provider", String.class) + "|"
					+ row.get("model", String.class) + "|"
					+ row.get("bucket_start", java.time.OffsetDateTime.class).toInstant() + "|"
					+ row.get("requests", Long.class) + "," + row.get("successes", Long.class) + ","
					+ row.get("upstream_errors", Long.class) + "," + row.get("client_aborts", Long.class) + "|"
					+ row.get("input_tokens", Long.class) + "," + row.get("output_tokens", Long.class) + ","
					+ row.get("cache_write_5m_tokens", Long.class) + "," + row.get("cache_write_1h_tokens", Long.class)
					+ "," + row.get("cache_read_tokens", Long.class) + "," + row.get("reasoning_tokens", Long.class)
					+ "," + row.get("server_tool_uses", Long.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
		return (rows != null) ? rows : List.of();
	}

}
