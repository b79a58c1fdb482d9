package io.tollgate.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class EventCodecTests {

	private final EventCodec codec = new EventCodec();

	static Stream<ContractEvent> events() {
		return Samples.all().stream();
	}

	@ParameterizedTest
	@MethodSource("events")
	void roundTripsEveryEventTypeToAnEqualRecord(ContractEvent event) {
		byte[] json = this.codec.encode(event);

		Decoded<? extends ContractEvent> decoded = this.codec.decode(json, event.getClass());

		assertThat(decoded.violations()).isEmpty();
		assertThat(decoded).isEqualTo(new Decoded.Valid<>(event));
	}

	@ParameterizedTest
	@MethodSource("events")
	void encodesJsonThatItsPublishedSchemaAccepts(ContractEvent event) {
		String json = this.codec.encodeToString(event);

		assertThat(JsonSchemas.errors(event.getClass(), json)).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("events")
	void encodesExactlyTheFieldsTheSchemaDeclares(ContractEvent event) {
		JsonNode json = this.codec.mapper().readTree(this.codec.encode(event));
		JsonNode properties = JsonSchemas.of(event.getClass()).getSchemaNode().get("properties");

		assertThat(json.propertyNames()).containsExactlyElementsOf(properties.propertyNames());
	}

	@Test
	void writesSnakeCaseNamesWireEnumsAndRfc3339Instants() {
		String json = this.codec.encodeToString(Samples.usage());

		assertThat(json).startsWith("{\"event_id\":\"" + Samples.EVENT_ID + "\",\"tenant_id\":\"tenant-acme\"")
			.contains("\"api_key_id\":\"key_01J9\"")
			.contains("\"endpoint\":\"messages\"")
			.contains("\"service_tier\":\"standard\"")
			.contains("\"cache_write_5m\":2000", "\"cache_write_1h\":500", "\"server_tool_uses\":2")
			.contains("\"total_input_tokens\":53700")
			.contains("\"started_at\":\"2025-06-01T12:00:00.123Z\"")
			.contains("\"upstream_latency_ms\":4300")
			.doesNotContain("eventId", "cacheWrite", "partition_key", "event_time", "total_input\"");
	}

	@Test
	void writesDottedEndpointSpelling() {
		UsageEvent chat = withEndpoint(Samples.usage(), Endpoint.CHAT_COMPLETIONS);

		assertThat(this.codec.encodeToString(chat)).contains("\"endpoint\":\"chat.completions\"");
	}

	@Test
	void writesAmountsAsPlainDecimalStrings() {
		SpendUpdate spend = Samples.spend();
		SpendUpdate large = new SpendUpdate(spend.updateId(), spend.tenantId(), "key_01J9", spend.periodStart(),
				spend.periodEnd(), spend.currency(), new BigDecimal("1E+3"), null, new BigDecimal("0.000001"),
				spend.asOf(), true, List.of());

		String json = this.codec.encodeToString(large);

		assertThat(json).contains("\"spend_to_date\":\"1000\"", "\"forecast_period_end\":\"0.000001\"", "\"cap\":null",
				"\"api_key_id\":\"key_01J9\"", "\"paused\":true");
		assertThat(this.codec.encodeToString(spend)).contains("\"spend_to_date\":\"12.345678\"", "\"cap\":\"500.00\"",
				"\"currency\":\"USD\"");
	}

	@Test
	void keepsTheScaleOfAmounts() {
		SpendUpdate decoded = this.codec.decode(this.codec.encode(Samples.spend()), SpendUpdate.class).orElseThrow();

		assertThat(decoded.cap()).isEqualTo(new BigDecimal("500.00"));
	}

	@Test
	void readsAbsentLabelsAsEmpty() {
		ObjectNode json = tree(Samples.usage());
		json.remove("labels");

		UsageEvent decoded = this.codec.decode(json, UsageEvent.class).orElseThrow();

		assertThat(decoded.labels()).isEmpty();
	}

	@Test
	void readsAbsentOptionalFieldsAsNull() {
		ObjectNode json = tree(Samples.usage());
		json.remove("stop_reason");
		json.remove("request_fingerprint");

		UsageEvent decoded = this.codec.decode(json, UsageEvent.class).orElseThrow();

		assertThat(decoded.stopReason()).isNull();
		assertThat(decoded.requestFingerprint()).isNull();
	}

	@Test
	void ignoresUnknownFieldsForForwardCompatibility() {
		ObjectNode json = tree(Samples.usage());
		json.put("added_in_a_later_version", "anything");
		json.putObject("tokens_details").put("audio", 3);
		((ObjectNode) json.get("tokens")).put("image", 7);

		Decoded<UsageEvent> decoded = this.codec.decode(json.toString(), UsageEvent.class);

		assertThat(decoded).isEqualTo(new Decoded.Valid<>(Samples.usage()));
	}

	@Test
	void readsDateTimesWithAnOffsetAsTheSameInstant() {
		ObjectNode json = tree(Samples.usage());
		json.put("started_at", "2025-06-01T14:00:00.123+02:00");

		UsageEvent decoded = this.codec.decode(json, UsageEvent.class).orElseThrow();

		assertThat(decoded.startedAt()).isEqualTo(Instant.parse("2025-06-01T12:00:00.123Z"));
	}

	@Test
	void readsIntegersWrittenWithAZeroFraction() {
		ObjectNode json = tree(Samples.usage());
		json.put("http_status", 200.0);

		assertThat(this.codec.decode(json, UsageEvent.class).orElseThrow().httpStatus()).isEqualTo(200);
	}

	@Test
	void labelsOfADecodedEventAreImmutable() {
		UsageEvent decoded = this.codec.decode(this.codec.encode(Samples.usage()), UsageEvent.class).orElseThrow();

		assertThat(decoded.labels()).isEqualTo(Map.of("team", "search", "env", "prod"));
		assertThat(decoded.labels()).isUnmodifiable();
	}

	@Test
	void decodesEachElementOfAnArrayOfEvents() {
		String body = "[" + this.codec.encodeToString(Samples.usage()) + ",{\"event_id\":42}]";
		JsonNode array = this.codec.mapper().readTree(body);

		List<Boolean> valid = array.valueStream()
			.map((node) -> this.codec.decode(node, UsageEvent.class).isValid())
			.toList();

		assertThat(valid).containsExactly(true, false);
	}

	@Test
	void decodeOrThrowReturnsTheEvent() {
		assertThat(this.codec.decodeOrThrow(this.codec.encode(Samples.keyControl()), KeyControl.class))
			.isEqualTo(Samples.keyControl());
	}

	@Test
	void sharedCodecIsOneInstance() {
		assertThat(EventCodec.shared()).isSameAs(EventCodec.shared());
	}

	private ObjectNode tree(ContractEvent event) {
		return (ObjectNode) this.codec.mapper().readTree(this.codec.encode(event));
	}

	static UsageEvent withEndpoint(UsageEvent e, Endpoint endpoint) {
		return e.toBuilder().endpoint(endpoint).build();
	}

}
