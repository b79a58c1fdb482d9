package io.tollgate.gateway.usage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How a usage event is stored in the spool: what the sender needs to publish it without
 * parsing it again (tenant id for the record key, event id and time for the CloudEvents
 * headers) followed by the event's JSON exactly as it goes to Kafka. Layout:
 * {@code [u16 length][tenant id][u16 length][event id][i64 seconds][i32 nanos][json]}.
 *
 * @param tenantId the tenant id, the record key
 * @param eventId the event id, {@code ce_id}
 * @param time the event time, {@code ce_time}
 * @param json the event as JSON, the record value
 */
record SpoolRecord(String tenantId, String eventId, Instant time, byte[] json) {

	byte[] encode() {
		byte[] tenant = this.tenantId.getBytes(StandardCharsets.UTF_8);
		byte[] event = this.eventId.getBytes(StandardCharsets.UTF_8);
		ByteBuffer buffer = ByteBuffer.allocate(2 + tenant.length + 2 + event.length + 12 + this.json.length);
		buffer.putShort((short) tenant.length).put(tenant).putShort((short) event.length).put(event);
		buffer.putLong(this.time.getEpochSecond()).putInt(this.time.getNano()).put(this.json);
		return buffer.array();
	}

	/**
	 * Reads a record back, or null when the bytes are not one.
	 */
	static @Nullable SpoolRecord decode(byte[] bytes) {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			String tenant = string(buffer);
			String event = string(buffer);
			Instant time = Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
			byte[] json = new byte[buffer.remaining()];
			buffer.get(json);
			return (json.length > 0 && json[0] == '{') ? new SpoolRecord(tenant, event, time, json) : null;
		}
		catch (BufferUnderflowException | IllegalArgumentException | java.time.DateTimeException ex) {
			return null;
		}
	}

	private static String string(ByteBuffer buffer) {
		int length = Short.toUnsignedInt(buffer.getShort());
		byte[] bytes = new byte[length];
		buffer.get(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
