package io.tollgate.contract;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The contract test of the foundation issue: invalid usage events are rejected with
 * precise reasons, all of them at once, and the published JSON Schema rejects them too.
 */
class UsageEventContractTests {

	private final EventCodec codec = new EventCodec();

	@Test
	void acceptsAValidEvent() {
		String json = Json.of(Samples.usage()).toString();

		assertThat(this.codec.decode(json, UsageEvent.class).isValid()).isTrue();
		assertThat(JsonSchemas.errors(UsageEvent.class, json)).isEmpty();
	}

	@Test
	void rejectsEventWithNegativeTokens() {
		String json = Json.set(Json.of(Samples.usage()), "tokens.input", -5).toString();

		assertThat(this.codec.decode(json, UsageEvent.class).violations())
			.containsExactly(new Violation("tokens.input", "negative", "must be >= 0, was -5"));
		assertThat(JsonSchemas.errors(UsageEvent.class, json)).singleElement().asString().contains("/tokens/input");
	}

	@Test
	void rejectsEventWithMissingTenantId() {
		String json = Json.remove(Json.of(Samples.usage()), "tenant_id").toString();

		assertThat(this.codec.decode(json, UsageEvent.class).violations())
			.containsExactly(new Violation("tenant_id", "required", "is required"));
		assertThat(JsonSchemas.errors(UsageEvent.class, json)).singleElement().asString().contains("tenant_id");
	}

	@Test
	void rejectsEventWithNullOrBlankTenantId() {
		String nullTenant = Json.set(Json.of(Samples.usage()), "tenant_id", null).toString();
		String blankTenant = Json.set(Json.of(Samples.usage()), "tenant_id", "  ").toString();

		assertThat(this.codec.decode(nullTenant, UsageEvent.class).violations())
			.containsExactly(new Violation("tenant_id", "required", "must not be null"));
		assertThat(this.codec.decode(blankTenant, UsageEvent.class).violations())
			.containsExactly(new Violation("tenant_id", "required", "must not be blank"));
		assertThat(JsonSchemas.errors(UsageEvent.class, nullTenant)).isNotEmpty();
		assertThat(JsonSchemas.errors(UsageEvent.class, blankTenant)).isNotEmpty();
	}

	@Test
	void rejectsEventWithUnknownProvider() {
		String json = Json.set(Json.of(Samples.usage()), "provider", "mistral").toString();

		assertThat(this.codec.decode(json, UsageEvent.class).violations()).containsExactly(
				new Violation("provider", "unknown_value", "'mistral' is not one of anthropic, openai, gemini"));
		assertThat(JsonSchemas.errors(UsageEvent.class, json)).singleElement().asString().contains("/provider");
	}

	@Test
	void rejectsMalformedJsonWithItsLocation() {
		String json = "{\"event_id\": \"" + Samples.EVENT_ID + "\",\n  \"tenant_id\": \"acme\",,\n}";

		Decoded<UsageEvent> decoded = this.codec.decode(json, UsageEvent.class);

		assertThat(decoded.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("$");
			assertThat(violation.code()).isEqualTo("malformed_json");
			assertThat(violation.message()).startsWith("at line 2, column 23: Unexpected character (',' ")
				.doesNotContain("\n", "Exception");
		});
		// A schema validator cannot even read it.
		assertThatException().isThrownBy(() -> JsonSchemas.errors(UsageEvent.class, json));
	}

	@Test
	void rejectsTruncatedAndEmptyPayloads() {
		byte[] full = this.codec.encode(Samples.usage());
		byte[] truncated = Arrays.copyOf(full, full.length / 2);

		assertThat(this.codec.decode(truncated, UsageEvent.class).violations()).singleElement()
			.extracting(Violation::code)
			.isEqualTo("malformed_json");
		assertThat(this.codec.decode(new byte[0], UsageEvent.class).violations())
			.containsExactly(new Violation("$", "malformed_json", "the payload is empty"));
		assertThat(this.codec.decode((byte[]) null, UsageEvent.class).isValid()).isFalse();
	}

	@Test
	void rejectsPayloadThatIsNotAnObject() {
		assertThat(this.codec.decode("[1, 2]", UsageEvent.class).violations())
			.containsExactly(new Violation("$", "wrong_type", "expected an object, was array"));
		assertThat(JsonSchemas.errors(UsageEvent.class, "[1, 2]")).isNotEmpty();
	}

	@Test
	void rejectsTrailingContentAndDuplicateFields() {
		String json = Json.of(Samples.usage()).toString();
		String duplicate = json.replaceFirst("\\{", "{\"tenant_id\":\"other\",");

		assertThat(this.codec.decode(json + " {}", UsageEvent.class).violations()).singleElement()
			.extracting(Violation::code)
			.isEqualTo("malformed_json");
		assertThat(this.codec.decode(duplicate, UsageEvent.class).violations()).singleElement()
			.satisfies((violation) -> assertThat(violation.message()).contains("Duplicate", "tenant_id"));
	}

	@Test
	void reportsWrongJsonTypesAtTheirPath() {
		ObjectNode json = Json.of(Samples.usage());
		Json.set(json, "tokens.output", "350");
		Json.set(json, "streamed", "yes");
		Json.set(json, "http_status", 200.5);
		Json.set(json, "labels.team", 7);

		assertThat(this.codec.decode(json, UsageEvent.class).violations()).containsExactlyInAnyOrder(
				new Violation("tokens.output", "wrong_type", "expected an integer, was string '350'"),
				new Violation("streamed", "wrong_type", "expected a boolean, was string 'yes'"),
				new Violation("http_status", "wrong_type", "expected an integer, was 200.5"),
				new Violation("labels.team", "wrong_type", "expected a string, was number 7"));
		assertThat(JsonSchemas.errors(UsageEvent.class, json.toString())).hasSize(4);
	}

	@Test
	void reportsEveryFaultOfAnEventAtOnce() {
		ObjectNode json = Json.of(Samples.usage());
		Json.set(json, "tokens.input", -5);
		Json.remove(json, "tenant_id");
		Json.set(json, "provider", "mistral");
		Json.set(json, "http_status", "200");
		Json.set(json, "completed_at", "2025-06-01T11:59:59Z");
		Json.set(json, "event_id", "not-a-uuid");
		Json.set(json, "started_at", "yesterday");

		Decoded<UsageEvent> decoded = this.codec.decode(json, UsageEvent.class);

		assertThat(decoded.violations()).extracting(Violation::field, Violation::code)
			.containsExactlyInAnyOrder(tuple("tokens.input", "negative"), tuple("tenant_id", "required"),
					tuple("provider", "unknown_value"), tuple("http_status", "wrong_type"),
					tuple("event_id", "invalid_format"), tuple("started_at", "invalid_format"));
		assertThat(JsonSchemas.errors(UsageEvent.class, json.toString())).hasSizeGreaterThanOrEqualTo(6);
	}

	@Test
	void doesNotReportAFieldTwiceNorUseItInCrossFieldRules() {
		ObjectNode json = Json.of(Samples.usage());
		// A string input cannot be summed: total_input_tokens must not be called
		// inconsistent.
		Json.set(json, "tokens.input", "1200");
		Json.set(json, "started_at", 17);

		assertThat(this.codec.decode(json, UsageEvent.class).violations()).extracting(Violation::field)
			.containsExactly("tokens.input", "started_at");
	}

	@Test
	void exceptionMessageListsEveryReasonOnOneLine() {
		ObjectNode json = Json.of(Samples.usage());
		Json.set(json, "tokens.input", -5);
		Json.set(json, "provider", "mistral");

		assertThatExceptionOfType(InvalidEventException.class)
			.isThrownBy(() -> this.codec.decodeOrThrow(json.toString().getBytes(), UsageEvent.class))
			.withMessage("invalid UsageEvent: provider: unknown_value ('mistral' is not one of anthropic, openai, "
					+ "gemini); tokens.input: negative (must be >= 0, was -5)")
			.satisfies((ex) -> assertThat(ex.getViolations()).hasSize(2));
	}

	@Test
	void rejectsInconsistentTotalInput() {
		String json = Json.set(Json.of(Samples.usage()), "total_input_tokens", 1200).toString();

		assertThat(this.codec.decode(json, UsageEvent.class).violations())
			.containsExactly(new Violation("total_input_tokens", "inconsistent",
					"must equal tokens.input + cache_write_5m + cache_write_1h + cache_read = 53700, was 1200"));
	}

	@Test
	void rejectsCompletionBeforeStart() {
		String json = Json.set(Json.of(Samples.usage()), "completed_at", "2025-06-01T11:00:00Z").toString();

		assertThat(this.codec.decode(json, UsageEvent.class).violations()).singleElement()
			.isEqualTo(new Violation("completed_at", "out_of_order",
					"must be at or after started_at (2025-06-01T12:00:00.123Z), was 2025-06-01T11:00:00Z"));
	}

}
