package io.tollgate.support.kafka;

import java.util.List;

import io.tollgate.contract.Violation;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumed record a service will not process, and why.
 *
 * @param record the record as consumed
 * @param reason a machine-readable reason, e.g. {@code invalid}, {@code too_late}
 * @param violations what is wrong with it, each at its field
 */
public record DeadLetter(ConsumerRecord<String, byte[]> record, String reason, List<Violation> violations) {

	/** The record breaks the contract's rules. */
	public static final String INVALID = "invalid";

	/** The event is older than the service accepts. */
	public static final String TOO_LATE = "too_late";

	/** The event is further in the future than the service accepts. */
	public static final String TOO_EARLY = "too_early";

}
