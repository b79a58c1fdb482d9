package io.tollgate.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import static org.awaitility.Awaitility.await;

/**
 * Reads a tenant's events from the usage topic. Tests use fresh tenant ids, so reading
 * the whole topic and keeping one tenant's events isolates them from every other test.
 */
public final class UsageTopic {

	private UsageTopic() {
	}

	/**
	 * Waits until the tenant has at least {@code expected} events on the topic, then
	 * reads to the topic's end, so that an event published twice would show up twice.
	 * @param tenantId the tenant
	 * @param expected how many events to wait for
	 * @return every event of the tenant, in topic order
	 */
	public static List<UsageEvent> eventsOf(String tenantId, int expected) {
		List<UsageEvent> events = new ArrayList<>();
		try (KafkaConsumer<String, UsageEvent> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "usage-topic-test-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
						false),
				new StringDeserializer(), new ContractDeserializer<>(UsageEvent.class))) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.USAGE.name(), Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				poll(consumer, tenantId, events);
				return events.size() >= expected;
			});
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				poll(consumer, tenantId, events);
				return end.entrySet()
					.stream()
					.allMatch((entry) -> consumer.position(entry.getKey()) >= entry.getValue());
			});
		}
		return events;
	}

	private static void poll(KafkaConsumer<String, UsageEvent> consumer, String tenantId, List<UsageEvent> events) {
		for (ConsumerRecord<String, UsageEvent> record : consumer.poll(Duration.ofMillis(200))) {
			if (tenantId.equals(record.key())) {
				events.add(record.value());
			}
		}
	}

}
