package io.tollgate.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * The Java validator and the published JSON Schemas describe one contract: same fields,
 * same required fields, and every invalid sample rejected by both. The rules JSON Schema
 * cannot express (relations between fields) are listed separately, so that the gap is
 * visible.
 */
class SchemaAgreementTests {

	private final EventCodec codec = new EventCodec();

	@ParameterizedTest
	@ValueSource(classes = { UsageEvent.class, MeteredUsage.class, SpendUpdate.class, KeyControl.class })
	void schemaDeclaresTheRecordsFieldsAndRequiredFields(Class<? extends ContractEvent> type) {
		JsonNode schema = JsonSchemas.of(type).getSchemaNode();

		assertFields(schema, type);
		JsonNode tokens = schema.path("$defs").path("token_counts");
		if (!tokens.isMissingNode()) {
			assertFields(tokens, TokenCounts.class);
		}
	}

	@ParameterizedTest
	@ValueSource(classes = { UsageEvent.class, MeteredUsage.class, SpendUpdate.class, KeyControl.class })
	void schemaIdIsTheDataSchemaOfItsTopic(Class<? extends ContractEvent> type) {
		JsonNode schema = JsonSchemas.of(type).getSchemaNode();

		assertThat(schema.get("$schema").stringValue()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
		assertThat(schema.get("$id").stringValue()).isEqualTo(Topics.forEventType(type).dataSchema().toString());
	}

	static Stream<Arguments> rejectedByBoth() {
		List<Arguments> cases = new ArrayList<>();
		// Usage event
		UsageEvent usage = Samples.usage();
		reject(cases, usage, "event_id", "0190F5D2-8C3A-7B4E-9A1C-2B3C4D5E6F70", "invalid_format");
		reject(cases, usage, "event_id", "", "required");
		reject(cases, usage, "tenant_id", "acme corp", "invalid_format");
		reject(cases, usage, "tenant_id", "t".repeat(201), "too_long");
		reject(cases, usage, "api_key_id", null, "required");
		reject(cases, usage, "api_key_id", 12, "wrong_type");
		reject(cases, usage, "labels", "team=search", "wrong_type");
		reject(cases, usage, "labels", null, "wrong_type");
		reject(cases, usage, "labels.bad key", "x", "invalid_format");
		reject(cases, usage, "labels.team", "v".repeat(257), "too_long");
		reject(cases, usage, "model", " ", "required");
		reject(cases, usage, "model", "m".repeat(201), "too_long");
		reject(cases, usage, "endpoint", "chat_completions", "unknown_value");
		reject(cases, usage, "endpoint", "Messages", "unknown_value");
		reject(cases, usage, "service_tier", "scale", "unknown_value");
		reject(cases, usage, "streamed", 1, "wrong_type");
		reject(cases, usage, "tokens", null, "required");
		reject(cases, usage, "tokens", 1200, "wrong_type");
		for (String count : List.of("input", "output", "cache_write_5m", "cache_write_1h", "cache_read", "reasoning",
				"server_tool_uses")) {
			reject(cases, usage, "tokens." + count, -1, "negative");
			rejectMissing(cases, usage, "tokens." + count);
		}
		reject(cases, usage, "tokens.output", 1.5, "wrong_type");
		reject(cases, usage, "total_input_tokens", -1, "negative");
		reject(cases, usage, "context_tier", "200k", "unknown_value");
		reject(cases, usage, "outcome", "timeout", "unknown_value");
		reject(cases, usage, "http_status", 99, "out_of_range");
		reject(cases, usage, "http_status", 600, "out_of_range");
		reject(cases, usage, "stop_reason", "s".repeat(201), "too_long");
		reject(cases, usage, "request_fingerprint", 5, "wrong_type");
		reject(cases, usage, "started_at", "2025-06-01 12:00:00Z", "invalid_format");
		reject(cases, usage, "started_at", "2025-06-01T12:00:00", "invalid_format");
		reject(cases, usage, "completed_at", "2025-06-01T12:00Z", "invalid_format");
		reject(cases, usage, "completed_at", "2025-02-30T12:00:00Z", "invalid_format");
		reject(cases, usage, "completed_at", 1748779204567L, "wrong_type");
		reject(cases, usage, "upstream_latency_ms", -3, "negative");
		for (String field : List.of("event_id", "tenant_id", "api_key_id", "provider", "model", "endpoint",
				"service_tier", "streamed", "tokens", "total_input_tokens", "context_tier", "outcome", "http_status",
				"started_at", "completed_at", "upstream_latency_ms")) {
			rejectMissing(cases, usage, field);
		}
		// Metered usage
		MeteredUsage metered = Samples.metered();
		reject(cases, metered, "delta_id", "", "required");
		reject(cases, metered, "bucket_width", "5m", "unknown_value");
		reject(cases, metered, "requests", -12, "negative");
		reject(cases, metered, "tokens.cache_read", -1, "negative");
		reject(cases, metered, "provider", "ANTHROPIC", "unknown_value");
		for (String field : List.of("delta_id", "tenant_id", "api_key_id", "provider", "model", "service_tier",
				"context_tier", "bucket_start", "bucket_width", "requests", "successes", "upstream_errors",
				"client_aborts", "tokens", "produced_at")) {
			rejectMissing(cases, metered, field);
		}
		// Spend update
		SpendUpdate spend = Samples.spend();
		reject(cases, spend, "spend_to_date", "-0.01", "negative");
		reject(cases, spend, "spend_to_date", 12.34, "wrong_type");
		reject(cases, spend, "spend_to_date", "1.2e3", "invalid_format");
		reject(cases, spend, "spend_to_date", "012.5", "invalid_format");
		reject(cases, spend, "cap", "-500", "negative");
		reject(cases, spend, "cap", "lots", "invalid_format");
		reject(cases, spend, "forecast_period_end", "", "invalid_format");
		reject(cases, spend, "currency", "usd", "invalid_format");
		reject(cases, spend, "api_key_id", "", "required");
		reject(cases, spend, "paused", "false", "wrong_type");
		reject(cases, spend, "alert_thresholds", "50,80", "wrong_type");
		reject(cases, spend, "alert_thresholds", null, "wrong_type");
		rejectAt(cases, spend, "alert_thresholds", List.of(50, "80"), "alert_thresholds[1]", "wrong_type");
		rejectAt(cases, spend, "alert_thresholds", List.of(50, 80.5), "alert_thresholds[1]", "wrong_type");
		rejectAt(cases, spend, "alert_thresholds", List.of(0, 80), "alert_thresholds[0]", "out_of_range");
		rejectAt(cases, spend, "alert_thresholds", List.of(50, 1001), "alert_thresholds[1]", "out_of_range");
		rejectAt(cases, spend, "alert_thresholds", List.of(50, 50), "alert_thresholds[1]", "inconsistent");
		reject(cases, spend, "alert_thresholds", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), "too_long");
		for (String field : List.of("update_id", "tenant_id", "period_start", "period_end", "currency", "spend_to_date",
				"forecast_period_end", "as_of", "paused")) {
			rejectMissing(cases, spend, field);
		}
		// Key control
		KeyControl control = Samples.keyControl();
		reject(cases, control, "action", "block", "unknown_value");
		reject(cases, control, "reason", "Budget Exhausted", "invalid_format");
		reject(cases, control, "reason", "r".repeat(65), "too_long");
		reject(cases, control, "message", "m".repeat(1001), "too_long");
		reject(cases, control, "until", "tomorrow", "invalid_format");
		reject(cases, control, "api_key_id", " ", "required");
		for (String field : List.of("control_id", "tenant_id", "api_key_id", "action", "reason", "decided_at")) {
			rejectMissing(cases, control, field);
		}
		return cases.stream();
	}

	@ParameterizedTest
	@MethodSource("rejectedByBoth")
	void javaValidatorAndSchemaRejectTheSameSample(Class<? extends ContractEvent> type, String json, String field,
			String code) {
		assertThat(this.codec.decode(json, type).violations()).extracting(Violation::field, Violation::code)
			.contains(tuple(field, code));
		assertThat(JsonSchemas.errors(type, json)).isNotEmpty();
		assertThat(ContractSchema.of(type).shortcutPasses(tree(json))).as("the shortcut lets it through").isFalse();
	}

	static Stream<Arguments> acceptedByBoth() {
		List<Arguments> cases = new ArrayList<>();
		accept(cases, Samples.usage(), "no labels", (json) -> Json.remove(json, "labels"));
		accept(cases, Samples.usage(), "empty labels", (json) -> Json.set(json, "labels", objectNode()));
		accept(cases, Samples.usage(), "label key with dots and slash",
				(json) -> Json.set(json, "labels", objectNode().put("k8s.io/app", "tollgate")));
		accept(cases, Samples.usage(), "null stop_reason", (json) -> Json.set(json, "stop_reason", null));
		accept(cases, Samples.usage(), "empty stop_reason", (json) -> Json.set(json, "stop_reason", ""));
		accept(cases, Samples.usage(), "lower-case t and z in a date-time",
				(json) -> Json.set(json, "started_at", "2025-06-01t12:00:00.123z"));
		accept(cases, Samples.usage(), "date-time with offset",
				(json) -> Json.set(json, "completed_at", "2025-06-01T14:00:04.567+02:00"));
		accept(cases, Samples.usage(), "model with spaces", (json) -> Json.set(json, "model", "models/gemini 2.5 pro"));
		accept(cases, Samples.usage(), "zero tokens", (json) -> {
			Json.set(json, "tokens", EventCodec.shared().mapper().valueToTree(TokenCounts.ZERO));
			return Json.set(json, "total_input_tokens", 0);
		});
		accept(cases, Samples.spend(), "zero spend", (json) -> Json.set(json, "spend_to_date", "0"));
		accept(cases, Samples.spend(), "null cap", (json) -> Json.set(json, "cap", null));
		accept(cases, Samples.spend(), "spend of one key", (json) -> Json.set(json, "api_key_id", "key_01J9"));
		accept(cases, Samples.spend(), "no alert thresholds", (json) -> Json.remove(json, "alert_thresholds"));
		accept(cases, Samples.spend(), "empty alert thresholds",
				(json) -> Json.set(json, "alert_thresholds", List.of()));
		accept(cases, Samples.keyControl(), "null until", (json) -> Json.set(json, "until", null));
		accept(cases, Samples.keyControl(), "no message", (json) -> Json.remove(json, "message"));
		accept(cases, Samples.keyControl(), "resume", (json) -> Json.set(json, "action", "resume"));
		return cases.stream();
	}

	@ParameterizedTest
	@MethodSource("acceptedByBoth")
	void javaValidatorAndSchemaAcceptTheSameSample(Class<? extends ContractEvent> type, String json) {
		assertThat(this.codec.decode(json, type).violations()).isEmpty();
		assertThat(JsonSchemas.errors(type, json)).isEmpty();
		assertThat(ContractSchema.of(type).shortcutPasses(tree(json))).as("the shortcut lets it through").isTrue();
	}

	static Stream<Arguments> rejectedOnlyByJava() {
		List<Arguments> cases = new ArrayList<>();
		reject(cases, Samples.usage(), "total_input_tokens", 53699, "inconsistent");
		reject(cases, Samples.usage(), "tokens.reasoning", 351, "inconsistent");
		reject(cases, Samples.usage(), "completed_at", "2025-06-01T12:00:00Z", "out_of_order");
		reject(cases, Samples.metered(), "requests", 13, "inconsistent");
		reject(cases, Samples.metered(), "bucket_start", "2025-06-01T12:00:30Z", "inconsistent");
		reject(cases, Samples.spend(), "period_end", "2025-06-01T00:00:00Z", "out_of_order");
		rejectAt(cases, Samples.spend(), "alert_thresholds", List.of(80, 50), "alert_thresholds[1]", "inconsistent");
		reject(cases, Samples.keyControl(), "until", "2025-06-20T08:15:00Z", "out_of_order");
		return cases.stream();
	}

	@ParameterizedTest
	@MethodSource("rejectedOnlyByJava")
	void crossFieldRulesAreJavaOnly(Class<? extends ContractEvent> type, String json, String field, String code) {
		assertThat(this.codec.decode(json, type).violations()).extracting(Violation::field, Violation::code)
			.containsExactly(tuple(field, code));
		assertThat(JsonSchemas.errors(type, json)).isEmpty();
	}

	private JsonNode tree(String json) {
		return this.codec.mapper().readTree(json);
	}

	private static ObjectNode objectNode() {
		return JsonNodeFactory.instance.objectNode();
	}

	private static void assertFields(JsonNode schema, Class<?> type) {
		assertThat(schema.get("properties").propertyNames()).containsExactlyElementsOf(ContractSchema.fieldNames(type));
		assertThat(schema.get("required").valueStream().map(JsonNode::stringValue).toList())
			.containsExactlyElementsOf(Arrays.stream(type.getRecordComponents())
				.filter((component) -> !component.getAnnotatedType().isAnnotationPresent(Nullable.class)
						&& component.getType() != Map.class && component.getType() != List.class)
				.map((component) -> component.getAccessor().getAnnotation(JsonProperty.class).value())
				.toList());
	}

	private static void reject(List<Arguments> cases, ContractEvent sample, String path, @Nullable Object value,
			String code) {
		String json = Json.set(Json.of(sample), path, value).toString();
		cases.add(argumentSet(sample.getClass().getSimpleName() + " " + path + " = " + shorten(value) + " -> " + code,
				sample.getClass(), json, path, code));
	}

	private static void rejectAt(List<Arguments> cases, ContractEvent sample, String path, Object value, String field,
			String code) {
		String json = Json.set(Json.of(sample), path, value).toString();
		cases.add(argumentSet(
				sample.getClass().getSimpleName() + " " + path + " = " + shorten(value) + " -> " + field + " " + code,
				sample.getClass(), json, field, code));
	}

	private static void rejectMissing(List<Arguments> cases, ContractEvent sample, String path) {
		String json = Json.remove(Json.of(sample), path).toString();
		cases.add(argumentSet(sample.getClass().getSimpleName() + " without " + path + " -> required",
				sample.getClass(), json, path, "required"));
	}

	private static void accept(List<Arguments> cases, ContractEvent sample, String description,
			UnaryOperator<ObjectNode> change) {
		String json = change.apply(Json.of(sample)).toString();
		cases.add(argumentSet(sample.getClass().getSimpleName() + " " + description, sample.getClass(), json));
	}

	private static String shorten(@Nullable Object value) {
		String text = String.valueOf(value);
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

}
