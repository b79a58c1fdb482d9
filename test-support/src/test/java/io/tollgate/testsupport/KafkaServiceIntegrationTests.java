package io.tollgate.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@UsesKafka
class KafkaServiceIntegrationTests {

	@Test
	void producesAndConsumesThroughTheRealBroker(KafkaService kafka) throws Exception {
		String topic = "test-support-" + UUID.randomUUID();
		try (KafkaProducer<String, String> producer = producer(kafka)) {
			producer.send(new ProducerRecord<>(topic, "tenant-a", "one")).get(30, TimeUnit.SECONDS);
			producer.send(new ProducerRecord<>(topic, "tenant-a", "two")).get(30, TimeUnit.SECONDS);
		}
		assertThat(consumeValues(kafka, topic, 2)).containsExactly("one", "two");
	}

	@Test
	void keepsItsDataAcrossAnOutage(KafkaService kafka) throws Exception {
		String topic = "test-support-outage-" + UUID.randomUUID();
		try (KafkaProducer<String, String> producer = producer(kafka)) {
			producer.send(new ProducerRecord<>(topic, "tenant-a", "before")).get(30, TimeUnit.SECONDS);
		}
		kafka.makeUnavailable();
		try {
			try (KafkaProducer<String, String> producer = producer(kafka, 1500)) {
				assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "tenant-a", "during"))
					.get(10, TimeUnit.SECONDS)).hasMessageContaining("imeout");
			}
		}
		finally {
			kafka.makeAvailable();
		}
		try (KafkaProducer<String, String> producer = producer(kafka)) {
			producer.send(new ProducerRecord<>(topic, "tenant-a", "after")).get(30, TimeUnit.SECONDS);
		}
		assertThat(consumeValues(kafka, topic, 2)).containsExactly("before", "after");
	}

	private static KafkaProducer<String, String> producer(KafkaService kafka) {
		return producer(kafka, 30_000);
	}

	private static KafkaProducer<String, String> producer(KafkaService kafka, int maxBlockMs) {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
				ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
				Math.max(maxBlockMs, 1000) + 1000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
				Math.min(maxBlockMs, 30_000)), new StringSerializer(), new StringSerializer());
	}

	private static List<String> consumeValues(KafkaService kafka, String topic, int expected) {
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					values.add(record.value());
				}
				return values.size() >= expected;
			});
		}
		return values;
	}

}
