package io.tollgate.support.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A consumer group's offsets in PostgreSQL, the source of truth for where it resumes.
 *
 * <p>
 * Algorithm: a batch's transaction first {@link #lockAndFence locks} its partitions' rows
 * ({@code FOR UPDATE}); if a stored offset is beyond the batch's first offset for any
 * partition, another consumer has already committed these records and the batch must not
 * be written (the caller rolls back and {@link #seek seeks} to the returned offsets).
 * Otherwise the batch writes its results and {@link #advance advances} the offsets, in
 * the same transaction. On assignment every partition is {@link #seekOnAssignment sought}
 * to its stored offset, or to its beginning when none is stored: Kafka's own committed
 * offsets are only informational. {@link #seekOnAssignment} blocks: it runs in the
 * consumer's rebalance callback, on the listener's own thread, which must seek before it
 * polls; never on an event loop.
 *
 * <p>
 * The service's schema must have the table: <pre>
 * CREATE TABLE consumer_offsets (consumer_group text NOT NULL, topic text NOT NULL,
 *     kafka_partition integer NOT NULL, next_offset bigint NOT NULL,
 *     updated_at timestamptz NOT NULL DEFAULT now(),
 *     PRIMARY KEY (consumer_group, topic, kafka_partition));
 * </pre>
 */
public class OffsetStore {

	private static final Logger logger = LoggerFactory.getLogger(OffsetStore.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final DatabaseClient db;

	private final String group;

	/**
	 * Creates the store for one consumer group.
	 * @param db the service's database
	 * @param group the consumer group id
	 */
	public OffsetStore(DatabaseClient db, String group) {
		this.db = db;
		this.group = group;
	}

	/**
	 * The stored next offset of each partition that has one (blocking).
	 * @param topic the topic
	 * @param partitions the partitions
	 * @return partition to next offset; partitions never consumed are absent
	 */
	public Map<Integer, Long> stored(String topic, Collection<Integer> partitions) {
		if (partitions.isEmpty()) {
			return Map.of();
		}
		Map<Integer, Long> offsets = select(topic, partitions, false).block(TIMEOUT);
		return (offsets != null) ? offsets : Map.of();
	}

	/**
	 * Locks the batch's partitions for the current transaction and checks that nobody has
	 * committed its records yet.
	 * @param ranges the batch's ranges (one topic)
	 * @return empty when the batch may be written; otherwise the offset to resume from
	 * for each partition of the batch
	 */
	public Mono<Optional<Map<Integer, Long>>> lockAndFence(List<PartitionRange> ranges) {
		String topic = ranges.getFirst().topic();
		return select(topic, ranges.stream().map(PartitionRange::partition).toList(), true).map((stored) -> {
			Map<Integer, Long> resume = new TreeMap<>();
			boolean fenced = false;
			for (PartitionRange range : ranges) {
				Long next = stored.get(range.partition());
				if (next != null && next > range.firstOffset()) {
					fenced = true;
					resume.put(range.partition(), next);
				}
				else {
					resume.put(range.partition(), range.firstOffset());
				}
			}
			return fenced ? Optional.of(resume) : Optional.empty();
		});
	}

	/**
	 * Stores the batch's next offsets, in the current transaction.
	 * @param ranges the batch's ranges (one topic)
	 * @return completes when stored
	 */
	public Mono<Void> advance(List<PartitionRange> ranges) {
		return this.db
			.sql("INSERT INTO consumer_offsets (consumer_group, topic, kafka_partition, next_offset) "
					+ "SELECT :group, :topic, p, n FROM unnest(:partitions::int[], :offsets::bigint[]) AS x(p, n) "
					+ "ON CONFLICT (consumer_group, topic, kafka_partition) DO UPDATE "
					+ "SET next_offset = excluded.next_offset, updated_at = now()")
			.bind("group", this.group)
			.bind("topic", ranges.getFirst().topic())
			.bind("partitions", ranges.stream().map(PartitionRange::partition).toArray(Integer[]::new))
			.bind("offsets", ranges.stream().map(PartitionRange::nextOffset).toArray(Long[]::new))
			.fetch()
			.rowsUpdated()
			.then();
	}

	/**
	 * Seeks newly assigned partitions to their stored offsets, or to their beginning when
	 * none is stored (Kafka's committed offset may be ahead of what was written).
	 * @param assignments the newly assigned partitions
	 * @param callback the container's seek callback
	 */
	public void seekOnAssignment(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		assignments.keySet().stream().map(TopicPartition::topic).distinct().forEach((topic) -> {
			List<TopicPartition> partitions = assignments.keySet()
				.stream()
				.filter((tp) -> tp.topic().equals(topic))
				.toList();
			Map<Integer, Long> stored = stored(topic, partitions.stream().map(TopicPartition::partition).toList());
			List<TopicPartition> unknown = partitions.stream()
				.filter((tp) -> !stored.containsKey(tp.partition()))
				.toList();
			stored.forEach((partition, offset) -> callback.seek(topic, partition, offset));
			if (!unknown.isEmpty()) {
				callback.seekToBeginning(unknown);
			}
			logger.info("Assigned {} partitions {}: resuming at PostgreSQL offsets {}, from the beginning for {}",
					topic, partitions.stream().map(TopicPartition::partition).sorted().toList(), stored,
					unknown.stream().map(TopicPartition::partition).sorted().toList());
		});
	}

	/**
	 * After a fenced batch: seeks the consumer's still-assigned partitions to where the
	 * batch must resume.
	 * @param consumer the consumer, on its own thread
	 * @param topic the topic
	 * @param resume partition to offset, from {@link #lockAndFence}
	 */
	public static void seek(Consumer<?, ?> consumer, String topic, Map<Integer, Long> resume) {
		Set<TopicPartition> assigned = consumer.assignment();
		resume.forEach((partition, offset) -> {
			TopicPartition tp = new TopicPartition(topic, partition);
			if (assigned.contains(tp)) {
				consumer.seek(tp, offset);
			}
		});
		logger.info("Skipped a batch another consumer had already committed; resuming {} at {}", topic, resume);
	}

	private Mono<Map<Integer, Long>> select(String topic, Collection<Integer> partitions, boolean lock) {
		return this.db
			.sql("SELECT kafka_partition, next_offset FROM consumer_offsets WHERE consumer_group = :group "
					+ "AND topic = :topic AND kafka_partition = ANY(:partitions)"
					+ (lock ? " ORDER BY kafka_partition FOR UPDATE" : ""))
			.bind("group", this.group)
			.bind("topic", topic)
			.bind("partitions", partitions.toArray(Integer[]::new))
			.map((row) -> Map.entry(row.get(0, Integer.class), row.get(1, Long.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

}
