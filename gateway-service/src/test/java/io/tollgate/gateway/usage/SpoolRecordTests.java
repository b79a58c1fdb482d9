package io.tollgate.gateway.usage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolRecordTests {

	@Test
	void roundTripsWhatTheSenderNeeds() {
		Instant time = Instant.parse("2026-11-23T10:15:30.123456789Z");
		byte[] json = "{\"event_id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
		SpoolRecord decoded = SpoolRecord.decode(new SpoolRecord("tenant-é", "0196-id", time, json).encode());
		assertThat(decoded).isNotNull();
		assertThat(decoded.tenantId()).isEqualTo("tenant-é");
		assertThat(decoded.eventId()).isEqualTo("0196-id");
		assertThat(decoded.time()).isEqualTo(time);
		assertThat(decoded.json()).isEqualTo(json);
	}

	@Test
	void refusesBytesThatAreNoRecord() {
		assertThat(SpoolRecord.decode("{\"event_id\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isNull();
		assertThat(SpoolRecord.decode(new byte[] { 0, 5, 'a' })).isNull();
	}

}
