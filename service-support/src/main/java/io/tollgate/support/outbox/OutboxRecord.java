package io.tollgate.support.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.CloudEventAttributes;
import io.tollgate.contract.CloudEventHeaders;
import io.tollgate.contract.ContractEvent;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.Topic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka record waiting in the outbox.
 *
 * @param topic the topic to publish to
 * @param key the record key, as bytes
 * @param value the record value, as bytes
 * @param headers the record headers, in order
 */
public record OutboxRecord(String topic, byte @Nullable [] key, byte @Nullable [] value, List<Header> headers) {

	public OutboxRecord {
		headers = List.copyOf(headers);
	}

	/**
	 * A contract event as its topic carries it: keyed by its partition key, its JSON as
	 * the value, CloudEvents attributes in binary mode as headers.
	 * @param topic the topic
	 * @param event the event
	 * @param source the CloudEvents {@code source} of this deployment
	 * @return the record
	 */
	public static OutboxRecord of(Topic<?, ?> topic, ContractEvent event, URI source) {
		RecordHeaders headers = new RecordHeaders();
		CloudEventHeaders.write(CloudEventAttributes.of(event, source), headers);
		List<Header> list = new ArrayList<>();
		headers.forEach(list::add);
		return new OutboxRecord(topic.name(), event.partitionKey().getBytes(StandardCharsets.UTF_8),
				EventCodec.shared().encode(event), list);
	}

	ProducerRecord<byte[], byte[]> toProducerRecord() {
		return new ProducerRecord<>(this.topic, null, this.key, this.value, new RecordHeaders(this.headers));
	}

	/**
	 * Headers as stored: a count, then per header its name and value, length-prefixed.
	 */
	static byte[] encodeHeaders(List<Header> headers) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * (headers.size() + 1));
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(headers.size());
			for (Header header : headers) {
				byte[] name = header.key().getBytes(StandardCharsets.UTF_8);
				out.writeInt(name.length);
				out.write(name);
				byte[] value = header.value();
				out.writeInt((value != null) ? value.length : -1);
				if (value != null) {
					out.write(value);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static List<Header> decodeHeaders(byte[] stored) {
		try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(stored))) {
			int count = in.readInt();
			List<Header> headers = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				String name = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
				int length = in.readInt();
				headers.add(new RecordHeader(name, (length >= 0) ? in.readNBytes(length) : null));
			}
			return headers;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("outbox headers are corrupt", ex);
		}
	}

}
