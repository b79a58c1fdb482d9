package io.tollgate.gateway;

import java.time.Duration;
import java.util.List;

import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.testsupport.TopicReader;

/**
 * Reads a tenant's events from the usage topic (see {@link TopicReader}).
 */
public final class UsageTopic {

	private UsageTopic() {
	}

	/**
	 * Waits until the tenant has at least {@code expected} events on the topic, then
	 * reads to the topic's end, so that an event published twice would show up twice.
	 * @param tenantId the tenant
	 * @param expected how many events to wait for
	 * @return every event of the tenant, in topic order
	 */
	public static List<UsageEvent> eventsOf(String tenantId, int expected) {
		ContractDeserializer<UsageEvent> deserializer = new ContractDeserializer<>(UsageEvent.class);
		return TopicReader.recordsWithKey(Topics.USAGE.name(), tenantId, expected, Duration.ofSeconds(60))
			.stream()
			.map((record) -> deserializer.deserialize(record.topic(), record.headers(), record.value()))
			.toList();
	}

}
