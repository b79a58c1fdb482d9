package io.tollgate.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka value deserializer for the contract's events. It reads the JSON with
 * {@link EventCodec}, and when the record carries CloudEvents headers it checks them too:
 * complete and well-formed, {@code ce_type} the one of the event type, {@code ce_id} and
 * {@code ce_subject} those of the event.
 *
 * <p>
 * Anything wrong, in the headers or the payload, is thrown as one
 * {@link InvalidEventException} listing every reason. Wrapped in Spring Kafka's
 * {@code ErrorHandlingDeserializer}, that sends the record to the dead-letter topic with
 * the reasons in its headers instead of stopping the consumer. A {@code null} value (a
 * tombstone) is returned as {@code null}.
 *
 * <p>
 * The event type comes from the constructor or, when Kafka instantiates the class by
 * name, from the {@value #EVENT_TYPE_CONFIG} property (a class or class name); without
 * either it is the catalogue's type for the topic read.
 *
 * @param <T> the event type
 */
public class ContractDeserializer<T extends ContractEvent> implements Deserializer<T> {

	/**
	 * Config key of the event class (a {@code Class} or a fully qualified class name).
	 */
	public static final String EVENT_TYPE_CONFIG = "tollgate.contract.event-type";

	private final EventCodec codec;

	private @Nullable Class<T> type;

	/**
	 * Creates a deserializer whose event type comes from {@link #configure} or the topic;
	 * for instantiation by Kafka from its class name.
	 */
	public ContractDeserializer() {
		this.codec = EventCodec.shared();
	}

	/**
	 * Creates a deserializer for one event type.
	 * @param type the event class
	 */
	public ContractDeserializer(Class<T> type) {
		this(type, EventCodec.shared());
	}

	/**
	 * Creates a deserializer for one event type.
	 * @param type the event class
	 * @param codec the codec to read with
	 */
	public ContractDeserializer(Class<T> type, EventCodec codec) {
		this.type = type;
		this.codec = codec;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
		Object configured = configs.get(EVENT_TYPE_CONFIG);
		if (configured != null && this.type == null) {
			this.type = eventType(configured);
		}
	}

	@Override
	public @Nullable T deserialize(String topic, byte @Nullable [] data) {
		return deserialize(topic, null, data);
	}

	@Override
	public @Nullable T deserialize(String topic, @Nullable Headers headers, byte @Nullable [] data) {
		if (data == null) {
			return null;
		}
		Class<T> type = typeFor(topic);
		String expectedType = Topics.forEventType(type).cloudEventType();
		List<Violation> violations = new ArrayList<>();
		CloudEventAttributes attributes = null;
		if (headers != null && CloudEventHeaders.present(headers)) {
			// A wrong type is the likeliest cause of whatever else is wrong, so it goes
			// first.
			Violation mismatch = CloudEventHeaders.typeMismatch(headers, expectedType);
			if (mismatch != null) {
				violations.add(mismatch);
			}
			Decoded<CloudEventAttributes> read = CloudEventHeaders.read(headers);
			violations.addAll(read.violations());
			if (read instanceof Decoded.Valid<CloudEventAttributes>(CloudEventAttributes valid)) {
				attributes = valid;
			}
		}
		Decoded<T> decoded = this.codec.decode(data, type);
		violations.addAll(decoded.violations());
		if (attributes != null && decoded instanceof Decoded.Valid<T>(T event)) {
			violations.addAll(CloudEventHeaders.describes(attributes, event));
		}
		if (!violations.isEmpty()) {
			throw new InvalidEventException("invalid " + type.getSimpleName() + " on " + topic, violations);
		}
		return decoded.orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private Class<T> typeFor(String topic) {
		if (this.type != null) {
			return this.type;
		}
		return (Class<T>) Topics.forName(topic)
			.map(Topic::valueType)
			.orElseThrow(() -> new IllegalStateException("No event type configured (" + EVENT_TYPE_CONFIG
					+ ") and topic " + topic + " is not in the catalogue"));
	}

	@SuppressWarnings("unchecked")
	private Class<T> eventType(Object configured) {
		Class<?> type;
		if (configured instanceof Class<?> given) {
			type = given;
		}
		else {
			try {
				type = Class.forName(configured.toString().strip(), false, ContractEvent.class.getClassLoader());
			}
			catch (ClassNotFoundException ex) {
				throw new ConfigException(EVENT_TYPE_CONFIG, configured, "no such class");
			}
		}
		if (!ContractEvent.class.isAssignableFrom(type) || type == ContractEvent.class) {
			throw new ConfigException(EVENT_TYPE_CONFIG, configured, "not a contract event type");
		}
		return (Class<T>) type;
	}

}
