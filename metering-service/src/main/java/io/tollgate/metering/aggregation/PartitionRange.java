package io.tollgate.metering.aggregation;

/**
 * The records of one partition a batch covers.
 *
 * @param topic the topic
 * @param partition the partition
 * @param firstOffset the offset of the batch's first record from this partition
 * @param nextOffset one past the offset of its last record: where consumption resumes
 */
record PartitionRange(String topic, int partition, long firstOffset, long nextOffset) {

}
