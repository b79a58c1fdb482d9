package io.tollgate.metering.aggregation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.metering.MeteringIntegrationTest;
import io.tollgate.metering.UsageEvents;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash between the database commit and Kafka's offset commit, in both orders,
 * simulated exactly: the listener is stopped, Kafka's committed offsets are set to what a
 * crash in that order would leave, and the listener restarts.
 */
@MeteringIntegrationTest
class RedeliveryIntegrationTests {

	private static final Instant HOUR = TestClock.shared()
		.instant()
		.truncatedTo(ChronoUnit.HOURS)
		.minus(3, ChronoUnit.HOURS);

	@Autowired
	private DatabaseClient db;

	@Autowired
	private KafkaListenerEndpointRegistry listeners;

	@Value("${spring.kafka.consumer.group-id}")
	private String group;

	@Test
	void doesNotCountAgainWhenCrashHitAfterDatabaseCommitBeforeKafkaCommit() throws Exception {
		String tenant = UsageEvents.freshTenant("db-first");
		UsageEvents.publish(events(tenant, 20));
		awaitRequests(tenant, 20);

		// The database holds the aggregates and offsets; Kafka never heard of them.
		restartListenerWithKafkaOffsets((end) -> 0L);

		UsageEvents.publish(events(tenant, 1));
		awaitRequests(tenant, 21);
		assertThat(totalInput(tenant)).isEqualTo(21 * 100);
	}

	@Test
	void countsEventsWhoseKafkaOffsetsWereCommittedWithoutTheirDatabaseWrite() throws Exception {
		String tenant = UsageEvents.freshTenant("kafka-first");
		MessageListenerContainer container = container();
		container.stop();
		UsageEvents.publish(events(tenant, 30));

		// Kafka says everything was consumed; the database write never happened.
		restartListenerWithKafkaOffsets(Function.identity());

		awaitRequests(tenant, 30);
		assertThat(totalInput(tenant)).isEqualTo(30 * 100);
	}

	private void restartListenerWithKafkaOffsets(Function<Long, Long> fromEndOffset) throws Exception {
		MessageListenerContainer container = container();
		container.stop();
		await().atMost(Duration.ofSeconds(30)).until(() -> !container.isRunning());
		try (Admin admin = Admin.create(
				Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers()))) {
			List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.USAGE.name()))
				.allTopicNames()
				.get()
				.get(Topics.USAGE.name())
				.partitions()
				.stream()
				.map((info) -> new TopicPartition(Topics.USAGE.name(), info.partition()))
				.toList();
			Map<TopicPartition, Long> ends = admin
				.listOffsets(partitions.stream().collect(Collectors.toMap((tp) -> tp, (tp) -> OffsetSpec.latest())))
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
			Map<TopicPartition, OffsetAndMetadata> committed = ends.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey,
						(entry) -> new OffsetAndMetadata(fromEndOffset.apply(entry.getValue()))));
			// The group must be empty before its offsets can be altered; leaving takes a
			// moment.
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
				admin.alterConsumerGroupOffsets(this.group, committed).all().get();
			});
		}
		container.start();
	}

	private MessageListenerContainer container() {
		MessageListenerContainer container = this.listeners.getListenerContainer(UsageAggregator.LISTENER_ID);
		assertThat(container).isNotNull();
		return container;
	}

	private static List<UsageEvent> events(String tenant, int count) {
		List<UsageEvent> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			events.add(UsageEvents.simple(tenant, "k" + (i % 2), HOUR.plusSeconds(i * 37L), 100, 10));
		}
		return events;
	}

	private void awaitRequests(String tenant, long expected) {
		await().atMost(UsageEvents.deadline())
			.untilAsserted(() -> assertThat(sum("requests", tenant)).isEqualTo(expected));
		// Nothing more arrives later: the batch that just landed was the last.
		assertThat(sum("requests", tenant)).isEqualTo(expected);
	}

	private long totalInput(String tenant) {
		return sum("input_tokens", tenant);
	}

	private long sum(String column, String tenant) {
		Long sum = this.db.sql("SELECT coalesce(sum(" + column + "), 0)::bigint FROM usage_hour WHERE tenant_id = :t")
			.bind("t", tenant)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(10));
		return (sum != null) ? sum : 0;
	}

}
