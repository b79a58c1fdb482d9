package io.tollgate.testsupport.benchmark;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark's Kafka broker (test-support's, see {@link TestInfrastructure#kafka()}),
 * with what a benchmark asks of it: topics, and how many records a topic holds.
 */
public final class BenchmarkKafka implements AutoCloseable {

	private final KafkaService service;

	private final Admin admin;

	private final long brokerPid;

	private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

	private BenchmarkKafka(KafkaService service) {
		this.service = service;
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrapServers()));
		this.brokerPid = CpuMeter.kafkaBrokerPid();
	}

	/**
	 * Starts (or finds) test-support's broker.
	 * @return the broker
	 */
	public static BenchmarkKafka start() {
		return new BenchmarkKafka(TestInfrastructure.kafka());
	}

	/**
	 * The broker as test-support describes it.
	 * @return the service
	 */
	public KafkaService service() {
		return this.service;
	}

	/**
	 * Where clients connect.
	 * @return the bootstrap servers
	 */
	public String bootstrapServers() {
		return this.service.bootstrapServers();
	}

	/**
	 * The broker's process, when this JVM started it.
	 * @return its pid, or -1
	 */
	public long brokerPid() {
		return this.brokerPid;
	}

	/**
	 * Creates a topic with one replica.
	 * @param topic its name
	 * @param count its partitions
	 */
	public void createTopic(String topic, int count) {
		try {
			this.admin.createTopics(List.of(new NewTopic(topic, count, (short) 1))).all().get(30, TimeUnit.SECONDS);
			this.partitions.put(topic, count);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("cannot create topic " + topic, ex);
		}
	}

	/**
	 * The sum of a topic's end offsets: how many records it holds, for a topic created by
	 * {@link #createTopic} (offsets start at zero, nothing deleted).
	 * @param topic the topic
	 * @return the records
	 */
	public long endOffsets(String topic) {
		Integer count = this.partitions.get(topic);
		if (count == null) {
			throw new IllegalArgumentException(topic + " was not created by this benchmark");
		}
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		IntStream.range(0, count).forEach((p) -> request.put(new TopicPartition(topic, p), OffsetSpec.latest()));
		try {
			return this.admin.listOffsets(request)
				.all()
				.get(10, TimeUnit.SECONDS)
				.values()
				.stream()
				.mapToLong((info) -> info.offset())
				.sum();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("cannot read the end offsets of " + topic, ex);
		}
	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(5));
	}

}
