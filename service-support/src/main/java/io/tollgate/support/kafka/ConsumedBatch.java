package io.tollgate.support.kafka;

import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.ContractEvent;
import io.tollgate.contract.InvalidEventException;
import io.tollgate.contract.Violation;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumed batch split into the contract's events and the records that are not valid
 * ones (each with its reasons, for the dead-letter topic), with the offsets it covers:
 * the first step of every batch listener that commits through {@link BatchTransaction}.
 *
 * @param <T> the event type
 * @param events the valid events, in the batch's order
 * @param deadLetters the invalid records, a tombstone included
 * @param ranges the offsets the batch covers
 */
public record ConsumedBatch<T extends ContractEvent>(List<T> events, List<DeadLetter> deadLetters,
		List<PartitionRange> ranges) {

	public ConsumedBatch {
		events = List.copyOf(events);
		deadLetters = List.copyOf(deadLetters);
		ranges = List.copyOf(ranges);
	}

	/**
	 * Decodes a batch.
	 * @param <T> the event type
	 * @param records the records as consumed
	 * @param deserializer the contract's deserializer of the topic's events
	 * @return the batch
	 */
	public static <T extends ContractEvent> ConsumedBatch<T> decode(List<ConsumerRecord<String, byte[]>> records,
			ContractDeserializer<T> deserializer) {
		List<T> events = new ArrayList<>(records.size());
		List<DeadLetter> letters = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			try {
				T event = deserializer.deserialize(record.topic(), record.headers(), record.value());
				if (event == null) {
					letters.add(new DeadLetter(record, DeadLetter.INVALID,
							List.of(new Violation("", Violation.REQUIRED, "the record has no value (a tombstone)"))));
				}
				else {
					events.add(event);
				}
			}
			catch (InvalidEventException ex) {
				letters.add(new DeadLetter(record, DeadLetter.INVALID, ex.getViolations()));
			}
		}
		return new ConsumedBatch<>(events, letters, PartitionRange.of(records));
	}

}
