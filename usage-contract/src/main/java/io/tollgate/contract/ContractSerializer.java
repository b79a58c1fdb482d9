package io.tollgate.contract;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka value serializer for the contract's events: writes the event's JSON and, when the
 * producer passes headers, the CloudEvents binary-mode headers
 * ({@link CloudEventHeaders}).
 *
 * <p>
 * By default it validates every event first and throws {@link InvalidEventException} for
 * an invalid one, so that nothing that breaks the contract reaches a topic. A
 * {@code null} value is written as {@code null} (a tombstone).
 *
 * <p>
 * Configuration: {@value #SOURCE_CONFIG} (the CloudEvents source, default
 * {@value #DEFAULT_SOURCE}) and {@value #VALIDATE_CONFIG} (default {@code true}).
 *
 * @param <T> the event type
 */
public class ContractSerializer<T extends ContractEvent> implements Serializer<T> {

	/** Config key of the CloudEvents {@code source}, a URI reference. */
	public static final String SOURCE_CONFIG = "tollgate.cloudevents.source";

	/** Config key that turns validation before writing on or off. */
	public static final String VALIDATE_CONFIG = "tollgate.contract.validate-on-serialize";

	/** The source used when none is configured. */
	public static final String DEFAULT_SOURCE = "/tollgate";

	private final EventCodec codec;

	private URI source;

	private boolean validate = true;

	/**
	 * Creates a serializer with the default source; for instantiation by Kafka from its
	 * class name, {@link #configure} then applies the properties.
	 */
	public ContractSerializer() {
		this(DEFAULT_SOURCE);
	}

	/**
	 * Creates a serializer.
	 * @param source the CloudEvents source, e.g. {@code /tollgate/gateway}
	 */
	public ContractSerializer(String source) {
		this(source, EventCodec.shared());
	}

	/**
	 * Creates a serializer.
	 * @param source the CloudEvents source, e.g. {@code /tollgate/gateway}
	 * @param codec the codec to write with
	 */
	public ContractSerializer(String source, EventCodec codec) {
		this.source = source(source);
		this.codec = codec;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
		Object source = configs.get(SOURCE_CONFIG);
		if (source != null) {
			this.source = source(source.toString());
		}
		Object validate = configs.get(VALIDATE_CONFIG);
		if (validate != null) {
			this.validate = Boolean.parseBoolean(validate.toString());
		}
	}

	/**
	 * The CloudEvents source this serializer writes.
	 * @return the configured source
	 */
	public URI source() {
		return this.source;
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable T data) {
		if (data == null) {
			return null;
		}
		checkTopic(topic, data);
		if (this.validate) {
			var violations = EventValidator.validate(data);
			if (!violations.isEmpty()) {
				throw new InvalidEventException(
						"invalid " + data.getClass().getSimpleName() + " for " + topic + " not sent", violations);
			}
		}
		return this.codec.encode(data);
	}

	@Override
	public byte @Nullable [] serialize(String topic, Headers headers, @Nullable T data) {
		byte[] json = serialize(topic, data);
		if (data != null) {
			CloudEventHeaders.write(CloudEventAttributes.of(data, this.source), headers);
		}
		return json;
	}

	// An event on another type's topic would be rejected by every consumer of that
	// topic.
	private static void checkTopic(String topic, ContractEvent event) {
		Topics.forName(topic).ifPresent((expected) -> {
			if (!expected.valueType().isInstance(event)) {
				throw new SerializationException("Topic " + topic + " carries " + expected.valueType().getSimpleName()
						+ ", not " + event.getClass().getSimpleName());
			}
		});
	}

	private static URI source(String source) {
		try {
			if (!source.isEmpty()) {
				return new URI(source);
			}
		}
		catch (URISyntaxException ex) {
			// reported below
		}
		throw new ConfigException(SOURCE_CONFIG, source, "must be a non-empty URI reference");
	}

}
