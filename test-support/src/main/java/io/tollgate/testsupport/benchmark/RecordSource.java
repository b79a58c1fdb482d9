package io.tollgate.testsupport.benchmark;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Makes the records a {@link Load} publishes: one new record per call, for a given time
 * (an event's completion, a delta's bucket). Called from one thread at a time.
 */
@FunctionalInterface
public interface RecordSource {

	/**
	 * A new record.
	 * @param atMillis the time the record is about, epoch milliseconds
	 * @return the record, with its topic, key, value and headers
	 */
	ProducerRecord<byte[], byte[]> next(long atMillis);

	/**
	 * What the records hold, for the report.
	 * @return description item to text
	 */
	default Map<String, String> describe() {
		return Map.of();
	}

	/**
	 * Decodes generated records as their consumer will, and fails unless every one is
	 * valid, so that a source that drifted from the contract fails the run before
	 * anything is measured. By default nothing is checked.
	 * @param samples how many records to check
	 */
	default void selfCheck(int samples) {
	}

}
