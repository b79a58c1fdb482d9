package io.tollgate.support.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.EventCodec;
import io.tollgate.contract.InvalidEventException;
import io.tollgate.support.outbox.OutboxRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import org.springframework.kafka.support.KafkaHeaders;

/**
 * Turns a dead letter into the record for its dead-letter topic: the original key, value
 * and headers, plus where it came from and why it was refused.
 *
 * <p>
 * The origin headers are Spring Kafka's own ({@code kafka_dlt-original-*}, same binary
 * encoding as {@code DeadLetterPublishingRecoverer}), so existing tooling can read and
 * replay them; {@value #REASON} and {@value #VIOLATIONS} say why, for people and for
 * alerts.
 */
public final class DeadLetters {

	/** Header with the reason: {@code invalid}, {@code too_late} or {@code too_early}. */
	public static final String REASON = "tollgate-dlt-reason";

	/** Header with the violations as a JSON array of {field, code, message}. */
	public static final String VIOLATIONS = "tollgate-dlt-violations";

	private DeadLetters() {
	}

	/**
	 * Builds the dead-letter record, ready for the outbox.
	 * @param letter the dead letter
	 * @param topic the dead-letter topic ({@code Topic.deadLetter()} of the source)
	 * @return the record
	 */
	public static OutboxRecord toRecord(DeadLetter letter, String topic) {
		var record = letter.record();
		List<Header> headers = new ArrayList<>();
		record.headers().forEach(headers::add);
		headers.add(header(KafkaHeaders.DLT_ORIGINAL_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8)));
		headers.add(
				header(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(record.partition()).array()));
		headers.add(header(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(record.offset()).array()));
		headers.add(header(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP,
				ByteBuffer.allocate(8).putLong(record.timestamp()).array()));
		headers.add(header(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE,
				record.timestampType().toString().getBytes(StandardCharsets.UTF_8)));
		headers.add(header(KafkaHeaders.DLT_EXCEPTION_MESSAGE,
				(letter.reason() + ": " + InvalidEventException.summary(letter.violations()))
					.getBytes(StandardCharsets.UTF_8)));
		headers.add(header(REASON, letter.reason().getBytes(StandardCharsets.UTF_8)));
		headers.add(header(VIOLATIONS, EventCodec.shared().mapper().writeValueAsBytes(letter.violations())));
		byte[] key = (record.key() != null) ? record.key().getBytes(StandardCharsets.UTF_8) : null;
		return new OutboxRecord(topic, key, record.value(), headers);
	}

	private static Header header(String name, byte[] value) {
		return new RecordHeader(name, value);
	}

}
