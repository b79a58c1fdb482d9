package io.tollgate.contract;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class ContractSerdeTests {

	private final EventCodec codec = new EventCodec();

	@ParameterizedTest
	@MethodSource("io.tollgate.contract.EventCodecTests#events")
	void roundTripsEveryEventTypeThroughTheSerdesWithHeaders(ContractEvent event) {
		Topic<String, ? extends ContractEvent> topic = Topics.forEventType(event.getClass());
		Headers headers = new RecordHeaders();

		byte[] value = serializer().serialize(topic.name(), headers, event);
		ContractEvent read = new ContractDeserializer<>(topic.valueType()).deserialize(topic.name(), headers, value);

		assertThat(read).isEqualTo(event);
		assertThat(value).isEqualTo(this.codec.encode(event));
	}

	@Test
	void writesCloudEventsHeadersThatReadBack() {
		UsageEvent event = Samples.usage();
		Headers headers = new RecordHeaders();

		serializer().serialize(Topics.USAGE.name(), headers, event);

		assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
		assertThat(header(headers, "ce_id")).isEqualTo(Samples.EVENT_ID);
		assertThat(header(headers, "ce_source")).isEqualTo("/tollgate/gateway");
		assertThat(header(headers, "ce_type")).isEqualTo("io.tollgate.usage.v1");
		assertThat(header(headers, "ce_time")).isEqualTo("2025-06-01T12:00:04.567Z");
		assertThat(header(headers, "ce_subject")).isEqualTo("tenant-acme");
		assertThat(header(headers, "ce_dataschema")).isEqualTo("urn:tollgate:schema:usage-event.v1");
		assertThat(header(headers, "content-type")).isEqualTo("application/json");
		assertThat(CloudEventHeaders.read(headers))
			.isEqualTo(new Decoded.Valid<>(new CloudEventAttributes("1.0", Samples.EVENT_ID,
					URI.create("/tollgate/gateway"), "io.tollgate.usage.v1", Instant.parse("2025-06-01T12:00:04.567Z"),
					"tenant-acme", URI.create("urn:tollgate:schema:usage-event.v1"), "application/json")));
	}

	@Test
	void usesEachEventsNaturalTimeAsCloudEventTime() {
		assertThat(CloudEventAttributes.of(Samples.metered(), URI.create("/m")).time())
			.isEqualTo(Samples.metered().producedAt());
		assertThat(CloudEventAttributes.of(Samples.spend(), URI.create("/b")).time()).isEqualTo(Samples.spend().asOf());
		assertThat(CloudEventAttributes.of(Samples.keyControl(), URI.create("/a")).time())
			.isEqualTo(Samples.keyControl().decidedAt());
	}

	@Test
	void replacesHeadersWrittenEarlier() {
		Headers headers = new RecordHeaders().add("ce_type", "stale".getBytes(StandardCharsets.UTF_8));

		serializer().serialize(Topics.USAGE.name(), headers, Samples.usage());

		assertThat(headers.headers("ce_type")).hasSize(1);
	}

	@Test
	void readsTheSourceFromConfiguration() {
		ContractSerializer<KeyControl> serializer = new ContractSerializer<>();
		serializer.configure(Map.of(ContractSerializer.SOURCE_CONFIG, "/tollgate/alerting"), false);
		Headers headers = new RecordHeaders();

		serializer.serialize(Topics.KEY_CONTROLS.name(), headers, Samples.keyControl());

		assertThat(header(headers, "ce_source")).isEqualTo("/tollgate/alerting");
	}

	@Test
	void defaultsTheSourceToTollgate() {
		Headers headers = new RecordHeaders();

		new ContractSerializer<UsageEvent>().serialize(Topics.USAGE.name(), headers, Samples.usage());

		assertThat(header(headers, "ce_source")).isEqualTo("/tollgate");
	}

	@Test
	void rejectsAnInvalidSourceInConfiguration() {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new ContractSerializer<UsageEvent>()
			.configure(Map.of(ContractSerializer.SOURCE_CONFIG, "not a uri"), false));
	}

	@Test
	void serializesWithoutHeadersToo() {
		byte[] value = serializer().serialize(Topics.USAGE.name(), Samples.usage());

		assertThat(new ContractDeserializer<>(UsageEvent.class).deserialize(Topics.USAGE.name(), value))
			.isEqualTo(Samples.usage());
	}

	@Test
	void passesTombstonesThrough() {
		assertThat(serializer().serialize(Topics.KEY_CONTROLS.name(), new RecordHeaders(), null)).isNull();
		assertThat(new ContractDeserializer<>(KeyControl.class).deserialize(Topics.KEY_CONTROLS.name(),
				new RecordHeaders(), (byte[]) null))
			.isNull();
	}

	@Test
	void serializerRefusesAnInvalidEvent() {
		UsageEvent e = Samples.usage();
		UsageEvent invalid = e.toBuilder().tenantId("").httpStatus(42).build();

		assertThatExceptionOfType(InvalidEventException.class)
			.isThrownBy(() -> serializer().serialize(Topics.USAGE.name(), new RecordHeaders(), invalid))
			.withMessage("invalid UsageEvent for tollgate.usage.v1 not sent: tenant_id: required (must not be blank); "
					+ "http_status: out_of_range (must be between 100 and 599, was 42)");
	}

	@Test
	void serializerCanBeToldNotToValidate() {
		ContractSerializer<UsageEvent> serializer = new ContractSerializer<>();
		serializer.configure(Map.of(ContractSerializer.VALIDATE_CONFIG, "false"), false);
		UsageEvent e = Samples.usage();
		UsageEvent invalid = e.toBuilder().tenantId("").build();

		assertThat(serializer.serialize("any-topic", invalid)).isNotEmpty();
	}

	@Test
	void serializerRefusesAnEventOnAnotherTypesTopic() {
		ContractSerializer<ContractEvent> serializer = new ContractSerializer<>();

		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> serializer.serialize(Topics.USAGE.name(), Samples.keyControl()))
			.withMessage("Topic tollgate.usage.v1 carries UsageEvent, not KeyControl");
	}

	@Test
	void deserializerRejectsAMismatchedCloudEventType() {
		Headers headers = new RecordHeaders();
		byte[] value = serializer().serialize(Topics.USAGE.name(), headers, Samples.usage());
		headers.remove("ce_type");
		headers.add("ce_type", "io.tollgate.spend.v1".getBytes(StandardCharsets.UTF_8));

		assertThatExceptionOfType(InvalidEventException.class)
			.isThrownBy(
					() -> new ContractDeserializer<>(UsageEvent.class).deserialize(Topics.USAGE.name(), headers, value))
			.withMessage("invalid UsageEvent on tollgate.usage.v1: ce_type: mismatch (expected io.tollgate.usage.v1, "
					+ "was 'io.tollgate.spend.v1')");
	}

	@Test
	void deserializerRejectsHeadersThatDoNotDescribeTheEvent() {
		Headers headers = new RecordHeaders();
		byte[] value = serializer().serialize(Topics.USAGE.name(), headers, Samples.usage());
		headers.remove("ce_id");
		headers.add("ce_id", "another-id".getBytes(StandardCharsets.UTF_8));
		headers.remove("ce_subject");
		headers.add("ce_subject", "another-tenant".getBytes(StandardCharsets.UTF_8));

		assertThatExceptionOfType(InvalidEventException.class)
			.isThrownBy(
					() -> new ContractDeserializer<>(UsageEvent.class).deserialize(Topics.USAGE.name(), headers, value))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::field, Violation::code)
				.containsExactly(tuple("ce_id", "mismatch"), tuple("ce_subject", "mismatch")));
	}

	@Test
	void deserializerRejectsAPayloadWithViolationsListingEveryReason() {
		String json = Json.set(Json.set(Json.of(Samples.usage()), "tokens.input", -5), "provider", "mistral")
			.toString();

		assertThatExceptionOfType(InvalidEventException.class)
			.isThrownBy(() -> new ContractDeserializer<>(UsageEvent.class).deserialize(Topics.USAGE.name(),
					new RecordHeaders(), json.getBytes(StandardCharsets.UTF_8)))
			.withMessage("invalid UsageEvent on tollgate.usage.v1: provider: unknown_value ('mistral' is not one of "
					+ "anthropic, openai, gemini); tokens.input: negative (must be >= 0, was -5)")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n", "Exception"));
	}

	@Test
	void deserializerReportsBadHeadersAndABadPayloadTogether() {
		Headers headers = new RecordHeaders();
		headers.add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));
		headers.add("ce_type", "io.tollgate.spend.v1".getBytes(StandardCharsets.UTF_8));
		headers.add("ce_time", "noon".getBytes(StandardCharsets.UTF_8));

		assertThatExceptionOfType(InvalidEventException.class)
			.isThrownBy(() -> new ContractDeserializer<>(UsageEvent.class).deserialize(Topics.USAGE.name(), headers,
					"{".getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::field, Violation::code)
				.containsExactly(tuple("ce_type", "mismatch"), tuple("ce_specversion", "unknown_value"),
						tuple("ce_id", "required"), tuple("ce_source", "required"), tuple("ce_time", "invalid_format"),
						tuple("$", "malformed_json")));
	}

	@Test
	void deserializerAcceptsRecordsWithoutCloudEventsHeaders() {
		byte[] value = this.codec.encode(Samples.spend());

		assertThat(new ContractDeserializer<>(SpendUpdate.class).deserialize(Topics.SPEND.name(), new RecordHeaders(),
				value))
			.isEqualTo(Samples.spend());
	}

	@Test
	void deserializerTakesItsTypeFromConfiguration() {
		ContractDeserializer<MeteredUsage> byName = new ContractDeserializer<>();
		byName.configure(Map.of(ContractDeserializer.EVENT_TYPE_CONFIG, MeteredUsage.class.getName()), false);
		ContractDeserializer<MeteredUsage> byClass = new ContractDeserializer<>();
		byClass.configure(Map.of(ContractDeserializer.EVENT_TYPE_CONFIG, MeteredUsage.class), false);
		byte[] value = this.codec.encode(Samples.metered());

		assertThat(byName.deserialize("some-copy-of-the-topic", value)).isEqualTo(Samples.metered());
		assertThat(byClass.deserialize("some-copy-of-the-topic", value)).isEqualTo(Samples.metered());
	}

	@Test
	void deserializerFallsBackToTheTopicsEventType() {
		byte[] value = this.codec.encode(Samples.keyControl());

		assertThat(new ContractDeserializer<>().deserialize(Topics.KEY_CONTROLS.name(), value))
			.isEqualTo(Samples.keyControl());
	}

	@Test
	void deserializerRejectsAConfiguredTypeOutsideTheContract() {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new ContractDeserializer<>()
			.configure(Map.of(ContractDeserializer.EVENT_TYPE_CONFIG, String.class.getName()), false));
	}

	@Test
	void invalidEventExceptionSurvivesJavaSerialization() throws Exception {
		InvalidEventException original = new InvalidEventException(
				List.of(new Violation("tenant_id", "required", "is required")));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(original);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			InvalidEventException copy = (InvalidEventException) in.readObject();
			assertThat(copy.getMessage()).isEqualTo(original.getMessage());
			assertThat(copy.getViolations()).isEqualTo(original.getViolations());
		}
	}

	private static <T extends ContractEvent> ContractSerializer<T> serializer() {
		return new ContractSerializer<>("/tollgate/gateway");
	}

	private static String header(Headers headers, String key) {
		return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
	}

}
