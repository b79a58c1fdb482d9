package io.tollgate.metering.aggregation;

import java.util.List;

import io.tollgate.contract.Violation;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A usage record metering will not count, and why.
 *
 * @param record the record as consumed
 * @param reason {@code invalid}, {@code too_late} or {@code too_early}
 * @param violations what is wrong with it, each at its field
 */
record DeadLetter(ConsumerRecord<String, byte[]> record, String reason, List<Violation> violations) {

	static final String INVALID = "invalid";

	static final String TOO_LATE = "too_late";

	static final String TOO_EARLY = "too_early";

}
