package io.tollgate.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.UsesKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every contract event through a real broker: produced with {@link ContractSerializer} to
 * its catalogue topic with CloudEvents binary-mode headers, consumed back equal with
 * {@link ContractDeserializer}; and an invalid payload refused on the consuming side with
 * its reasons.
 */
@UsesKafka
class ContractEventsKafkaIntegrationTests {

	@Test
	void everyContractEventRoundTripsThroughKafkaWithCloudEventHeaders(KafkaService kafka) throws Exception {
		String run = UUID.randomUUID().toString();
		for (ContractEvent event : Samples.all()) {
			Topic<String, ? extends ContractEvent> catalogued = Topics.forEventType(event.getClass());
			String topic = catalogued.name() + "." + run;
			try (KafkaProducer<String, ContractEvent> producer = new KafkaProducer<>(producerConfig(kafka),
					new StringSerializer(), new ContractSerializer<>("/tollgate/contract-test"))) {
				producer.send(new ProducerRecord<>(topic, event.partitionKey(), event)).get(30, TimeUnit.SECONDS);
			}
			ConsumerRecord<String, ? extends ContractEvent> received = consumeOne(kafka, topic, event.getClass());
			assertThat((Object) received.value()).isEqualTo(event);
			assertThat(received.key()).isEqualTo(event.partitionKey());
			assertThat(header(received, "ce_specversion")).isEqualTo("1.0");
			assertThat(header(received, "ce_id")).isEqualTo(event.id());
			assertThat(header(received, "ce_type")).isEqualTo(catalogued.cloudEventType());
			assertThat(header(received, "ce_source")).isEqualTo("/tollgate/contract-test");
			assertThat(header(received, "content-type")).startsWith("application/json");
		}
	}

	@Test
	void consumerRefusesAnInvalidEventWithItsReasons(KafkaService kafka) throws Exception {
		String topic = Topics.USAGE.name() + "." + UUID.randomUUID();
		String invalid = EventCodec.shared()
			.encodeToString(Samples.usage())
			.replace("\"provider\":\"anthropic\"", "\"provider\":\"mistral\"");
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(kafka), new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, "t", invalid.getBytes(StandardCharsets.UTF_8)))
				.get(30, TimeUnit.SECONDS);
		}
		List<String> failures = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka),
				new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			ContractDeserializer<UsageEvent> deserializer = new ContractDeserializer<>(UsageEvent.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					try {
						deserializer.deserialize(record.topic(), record.headers(), record.value());
					}
					catch (InvalidEventException ex) {
						failures.add(ex.getMessage());
					}
				}
				return !failures.isEmpty();
			});
		}
		assertThat(failures.getFirst()).contains("provider: unknown_value")
			.contains("'mistral' is not one of anthropic, openai, gemini");
	}

	private static Map<String, Object> producerConfig(KafkaService kafka) {
		return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
				"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
	}

	private static Map<String, Object> consumerConfig(KafkaService kafka) {
		return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
				"contract-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
	}

	private static <T extends ContractEvent> ConsumerRecord<String, T> consumeOne(KafkaService kafka, String topic,
			Class<T> type) {
		List<ConsumerRecord<String, T>> received = new ArrayList<>();
		try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(consumerConfig(kafka), new StringDeserializer(),
				new ContractDeserializer<>(type))) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(received::add);
				return !received.isEmpty();
			});
		}
		return received.getFirst();
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		var header = record.headers().lastHeader(name);
		assertThat(header).as("header %s", name).isNotNull();
		return new String(header.value(), StandardCharsets.UTF_8);
	}

}
