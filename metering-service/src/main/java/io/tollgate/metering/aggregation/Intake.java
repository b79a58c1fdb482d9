package io.tollgate.metering.aggregation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.InvalidEventException;
import io.tollgate.contract.UsageEvent;
import io.tollgate.contract.Violation;
import io.tollgate.support.kafka.DeadLetter;
import io.tollgate.support.kafka.PartitionRange;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Sorts a consumed batch: events that count, and dead letters with their reasons.
 *
 * <p>
 * An event counts when its value and CloudEvents headers pass the contract's rules and
 * its {@code completed_at} lies within {@code [now - lateness, now + maxFutureSkew]}.
 * Everything else becomes a dead letter; nothing is dropped. The batch's offset range per
 * partition is recorded whatever the verdicts, because dead letters are consumed too.
 */
final class Intake {

	private final ContractDeserializer<UsageEvent> deserializer = new ContractDeserializer<>(UsageEvent.class);

	private final Duration lateness;

	private final Duration maxFutureSkew;

	Intake(Duration lateness, Duration maxFutureSkew) {
		this.lateness = lateness;
		this.maxFutureSkew = maxFutureSkew;
	}

	Classified classify(List<ConsumerRecord<String, byte[]>> records, Instant now) {
		Instant oldest = now.minus(this.lateness);
		Instant newest = now.plus(this.maxFutureSkew);
		List<UsageEvent> countable = new ArrayList<>(records.size());
		List<DeadLetter> deadLetters = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			UsageEvent event;
			try {
				event = this.deserializer.deserialize(record.topic(), record.headers(), record.value());
			}
			catch (InvalidEventException ex) {
				deadLetters.add(new DeadLetter(record, DeadLetter.INVALID, ex.getViolations()));
				continue;
			}
			if (event == null) {
				deadLetters.add(new DeadLetter(record, DeadLetter.INVALID,
						List.of(new Violation("", Violation.REQUIRED, "the record has no value (a tombstone)"))));
			}
			else if (event.completedAt().isBefore(oldest)) {
				deadLetters.add(new DeadLetter(record, DeadLetter.TOO_LATE,
						List.of(new Violation("completed_at", DeadLetter.TOO_LATE,
								event.completedAt() + " is older than the lateness window of " + this.lateness
										+ " (events up to " + oldest + " are counted)"))));
			}
			else if (event.completedAt().isAfter(newest)) {
				deadLetters.add(new DeadLetter(record, DeadLetter.TOO_EARLY,
						List.of(new Violation("completed_at", DeadLetter.TOO_EARLY,
								event.completedAt() + " is more than " + this.maxFutureSkew
										+ " ahead of metering's clock (" + now + ")"))));
			}
			else {
				countable.add(event);
			}
		}
		return new Classified(PartitionRange.of(records), countable, deadLetters);
	}

	/**
	 * A batch, classified: what counts and what becomes a dead letter.
	 *
	 * @param ranges the offsets consumed, per partition
	 * @param countable valid events within the lateness window, possibly repeating ids
	 * @param deadLetters the records that do not count
	 */
	record Classified(List<PartitionRange> ranges, List<UsageEvent> countable, List<DeadLetter> deadLetters) {

	}

}
