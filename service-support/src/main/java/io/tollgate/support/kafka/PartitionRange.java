package io.tollgate.support.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records of one partition a batch covers.
 *
 * @param topic the topic
 * @param partition the partition
 * @param firstOffset the offset of the batch's first record from this partition
 * @param nextOffset one past the offset of its last record: where consumption resumes
 */
public record PartitionRange(String topic, int partition, long firstOffset, long nextOffset) {

	/**
	 * The ranges a batch covers, one per partition, in order of first appearance.
	 * @param records the batch
	 * @return its ranges
	 */
	public static List<PartitionRange> of(List<? extends ConsumerRecord<?, ?>> records) {
		Map<String, PartitionRange> ranges = new LinkedHashMap<>();
		for (ConsumerRecord<?, ?> record : records) {
			ranges.merge(record.topic() + "/" + record.partition(),
					new PartitionRange(record.topic(), record.partition(), record.offset(), record.offset() + 1),
					(earlier, later) -> new PartitionRange(earlier.topic(), earlier.partition(),
							Math.min(earlier.firstOffset(), later.firstOffset()),
							Math.max(earlier.nextOffset(), later.nextOffset())));
		}
		return List.copyOf(ranges.values());
	}

}
