package io.tollgate.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import static org.awaitility.Awaitility.await;

/**
 * Reads the records of one key from a topic of this JVM's Kafka. Tests use fresh keys
 * (tenant ids), so reading the whole topic and keeping one key's records isolates them
 * from every other test.
 */
public final class TopicReader {

	private TopicReader() {
	}

	/**
	 * Waits until the topic holds at least {@code expected} records with the key, then
	 * reads on to the topic's end, so that a record published twice shows up twice.
	 * @param topic the topic
	 * @param key the record key
	 * @param expected how many records to wait for
	 * @param timeout how long to wait for them
	 * @return every record with the key, in partition order
	 */
	public static List<ConsumerRecord<String, byte[]>> recordsWithKey(String topic, String key, int expected,
			Duration timeout) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "topic-reader-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
						false),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> !consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty());
			List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			await().atMost(timeout).until(() -> {
				poll(consumer, key, records);
				return records.size() >= expected;
			});
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				poll(consumer, key, records);
				return end.entrySet()
					.stream()
					.allMatch((entry) -> consumer.position(entry.getKey()) >= entry.getValue());
			});
		}
		return records;
	}

	private static void poll(KafkaConsumer<String, byte[]> consumer, String key,
			List<ConsumerRecord<String, byte[]>> records) {
		for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
			if (key.equals(record.key())) {
				records.add(record);
			}
		}
	}

}
