package io.tollgate.contract;

import java.util.List;
import java.util.Optional;

/**
 * The topic catalogue: every topic the services exchange events on, in one place.
 */
public final class Topics {

	/** Usage events, gateway to metering and alerting. */
	public static final Topic<String, UsageEvent> USAGE = new Topic<>("tollgate.usage.v1", String.class,
			UsageEvent.class, "tenant_id: keeps each tenant's events in order on one partition", false,
			"io.tollgate.usage.v1", "schemas/usage-event.v1.schema.json");

	/** Metered usage deltas, metering to billing. */
	public static final Topic<String, MeteredUsage> METERED_USAGE = new Topic<>("tollgate.metered-usage.v1",
			String.class, MeteredUsage.class, "tenant_id: keeps each tenant's deltas in order on one partition", false,
			"io.tollgate.metered-usage.v1", "schemas/metered-usage.v1.schema.json");

	/** Spend updates, billing to alerting. */
	public static final Topic<String, SpendUpdate> SPEND = new Topic<>("tollgate.spend.v1", String.class,
			SpendUpdate.class, "tenant_id: keeps each tenant's spend updates in order on one partition", false,
			"io.tollgate.spend.v1", "schemas/spend-update.v1.schema.json");

	/** Key pause and resume decisions, alerting to every gateway instance. */
	public static final Topic<String, KeyControl> KEY_CONTROLS = new Topic<>("tollgate.key-controls.v1", String.class,
			KeyControl.class,
			"api_key_id (tenant_id/* for every key of a tenant): compaction keeps the latest decision "
					+ "per key, which is the key's current state",
			true, "io.tollgate.key-controls.v1", "schemas/key-control.v1.schema.json");

	private static final List<Topic<String, ? extends ContractEvent>> ALL = List.of(USAGE, METERED_USAGE, SPEND,
			KEY_CONTROLS);

	private Topics() {
	}

	/**
	 * Every topic of the catalogue.
	 * @return the topics, in the order events flow
	 */
	public static List<Topic<String, ? extends ContractEvent>> all() {
		return ALL;
	}

	/**
	 * The topic by name.
	 * @param name a topic name such as {@code tollgate.usage.v1}
	 * @return the topic, or empty for a name outside the catalogue (dead-letter topics
	 * included)
	 */
	public static Optional<Topic<String, ? extends ContractEvent>> forName(String name) {
		return ALL.stream().filter((topic) -> topic.name().equals(name)).findFirst();
	}

	/**
	 * The topic that carries an event type.
	 * @param <V> the event type
	 * @param type the event class
	 * @return the topic
	 */
	@SuppressWarnings("unchecked")
	public static <V extends ContractEvent> Topic<String, V> forEventType(Class<V> type) {
		for (Topic<String, ? extends ContractEvent> topic : ALL) {
			if (topic.valueType() == type) {
				return (Topic<String, V>) topic;
			}
		}
		// Unreachable while every permitted ContractEvent has a topic (a test checks
		// it).
		throw new IllegalArgumentException("No topic carries " + type.getName());
	}

	/**
	 * The topic whose events have a CloudEvents type.
	 * @param cloudEventType e.g. {@code io.tollgate.usage.v1}
	 * @return the topic, or empty when no topic has that type
	 */
	public static Optional<Topic<String, ? extends ContractEvent>> forCloudEventType(String cloudEventType) {
		return ALL.stream().filter((topic) -> topic.cloudEventType().equals(cloudEventType)).findFirst();
	}

}
