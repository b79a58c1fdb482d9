package io.tollgate.gateway.usage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.Endpoint;
import io.tollgate.contract.Provider;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.UsesKafka;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher against a real broker, including one that goes away and comes back. Each
 * test uses fresh tenant ids and reads the usage topic from the end offsets it saw at its
 * start, so tests never see each other's events.
 */
@UsesKafka
class UsagePublisherIntegrationTests {

	@TempDir
	Path spoolDirectory;

	@Test
	void publishesEveryEventInOrderPerTenant(KafkaService kafka) {
		Map<TopicPartition, Long> start = endOffsets(kafka);
		UsagePublisher publisher = publisher(kafka);
		publisher.start();
		try {
			List<UsageEvent> sent = events(2, 50);
			sent.forEach(publisher::publish);
			List<UsageEvent> received = consume(kafka, start, sent);
			assertArrivedOnceInOrder(sent, received);
		}
		finally {
			publisher.stop();
		}
	}

	@Test
	void keepsEventsThroughAKafkaOutageAndDeliversEachOnceInOrder(KafkaService kafka) {
		Map<TopicPartition, Long> start = endOffsets(kafka);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		UsagePublisher publisher = new UsagePublisher(properties(), producerFactory(kafka), registry);
		publisher.start();
		List<UsageEvent> sent = events(3, 40);
		try {
			sent.subList(0, 30).forEach(publisher::publish);
			await().atMost(Duration.ofSeconds(30)).until(publisher::isDrained);
			kafka.makeUnavailable();
			try {
				sent.subList(30, sent.size()).forEach(publisher::publish);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> registry.counter("tollgate.gateway.usage.events", "result", "spooled").count() == 40);
				// The sender finds out that Kafka is gone; the events wait on disk.
				await().during(Duration.ofSeconds(3))
					.atMost(Duration.ofSeconds(10))
					.until(() -> !publisher.isDrained());
			}
			finally {
				kafka.makeAvailable();
			}
			await().atMost(Duration.ofSeconds(90)).until(publisher::isDrained);
			assertArrivedOnceInOrder(sent, consume(kafka, start, sent));
			assertThat(registry.counter("tollgate.gateway.usage.events", "result", "replayed").count()).isPositive();
			assertThat(registry.counter("tollgate.gateway.usage.events", "result", "failed").count()).isZero();
		}
		finally {
			publisher.stop();
		}
	}

	@Test
	void replaysTheSpoolAfterAGatewayRestart(KafkaService kafka) {
		Map<TopicPartition, Long> start = endOffsets(kafka);
		List<UsageEvent> sent = events(2, 30);
		kafka.makeUnavailable();
		try {
			UsagePublisher first = publisher(kafka);
			first.start();
			sent.forEach(first::publish);
			first.stop();
		}
		finally {
			kafka.makeAvailable();
		}
		UsagePublisher second = publisher(kafka);
		second.start();
		try {
			await().atMost(Duration.ofSeconds(60)).until(second::isDrained);
			assertArrivedOnceInOrder(sent, consume(kafka, start, sent));
		}
		finally {
			second.stop();
		}
	}

	private UsagePublisher publisher(KafkaService kafka) {
		return new UsagePublisher(properties(), producerFactory(kafka), new SimpleMeterRegistry());
	}

	private GatewayProperties properties() {
		GatewayProperties.Usage usage = new GatewayProperties.Usage(this.spoolDirectory, DataSize.ofMegabytes(64),
				DataSize.ofKilobytes(4), 200_000, Map.of(), 3, (short) 1);
		return new GatewayProperties("x".repeat(32), null,
				new GatewayProperties.Keys(Duration.ofMinutes(5), Duration.ofSeconds(10), 1000), usage,
				new GatewayProperties.Ingest(1000, DataSize.ofMegabytes(1), Duration.ofSeconds(10)),
				new GatewayProperties.FrontDoor(List.of()),
				new GatewayProperties.KeyControls(false, Duration.ofMillis(100), Duration.ofSeconds(1)));
	}

	private static DefaultKafkaProducerFactory<String, UsageEvent> producerFactory(KafkaService kafka) {
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4000);
		config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
		return new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
				new ContractSerializer<>("/tollgate/gateway-test"));
	}

	private static List<UsageEvent> events(int tenants, int total) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<UsageEvent> events = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			Instant now = TestClock.shared().instant();
			events.add(UsageEvent.builder()
				.tenantId("tenant-" + run + "-" + (i % tenants))
				.apiKeyId("key_test")
				.labels(Map.of("seq", Integer.toString(i)))
				.provider(Provider.ANTHROPIC)
				.model("claude-sonnet-4-5")
				.endpoint(Endpoint.MESSAGES)
				.tokens(new TokenCounts(100 + i, 20, 0, 0, 0, 0, 0))
				.stopReason("end_turn")
				.startedAt(now.minusMillis(5))
				.completedAt(now)
				.upstreamLatencyMs(5)
				.build());
		}
		return events;
	}

	private static Map<TopicPartition, Long> endOffsets(KafkaService kafka) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(Topics.USAGE.name(), 3, (short) 1))).all().get();
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException(ex);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		try (KafkaConsumer<String, UsageEvent> consumer = consumer(kafka)) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.USAGE.name(), Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			return consumer.endOffsets(partitions, Duration.ofSeconds(30));
		}
	}

	private static List<UsageEvent> consume(KafkaService kafka, Map<TopicPartition, Long> start,
			List<UsageEvent> expected) {
		List<String> tenants = expected.stream().map(UsageEvent::tenantId).distinct().toList();
		List<UsageEvent> received = new ArrayList<>();
		try (KafkaConsumer<String, UsageEvent> consumer = consumer(kafka)) {
			consumer.assign(start.keySet());
			start.forEach(consumer::seek);
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				for (ConsumerRecord<String, UsageEvent> record : consumer.poll(Duration.ofMillis(200))) {
					if (tenants.contains(record.key())) {
						received.add(record.value());
					}
				}
				return received.size() >= expected.size();
			});
			// Anything sent twice would already be on the topic by now: read to the end
			// once more.
			Map<TopicPartition, Long> end = consumer.endOffsets(start.keySet());
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<String, UsageEvent> record : consumer.poll(Duration.ofMillis(100))) {
					if (tenants.contains(record.key())) {
						received.add(record.value());
					}
				}
				return end.entrySet().stream().allMatch((e) -> consumer.position(e.getKey()) >= e.getValue());
			});
		}
		return received;
	}

	private static KafkaConsumer<String, UsageEvent> consumer(KafkaService kafka) {
		return new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "publisher-test-" + UUID.randomUUID(),
						ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new StringDeserializer(), new ContractDeserializer<>(UsageEvent.class));
	}

	private static void assertArrivedOnceInOrder(List<UsageEvent> sent, List<UsageEvent> received) {
		assertThat(received).extracting(UsageEvent::eventId)
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(sent.stream().map(UsageEvent::eventId).toList());
		for (String tenant : sent.stream().map(UsageEvent::tenantId).distinct().toList()) {
			assertThat(received.stream().filter((event) -> event.tenantId().equals(tenant)).map(UsageEvent::eventId))
				.as("order of tenant %s", tenant)
				.containsExactlyElementsOf(sent.stream()
					.filter((event) -> event.tenantId().equals(tenant))
					.map(UsageEvent::eventId)
					.toList());
		}
	}

}
