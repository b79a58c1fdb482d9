package io.tollgate.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The rules applied to events built in Java, as producers build them before publishing.
 */
class EventValidatorTests {

	@ParameterizedTest
	@MethodSource("io.tollgate.contract.EventCodecTests#events")
	void acceptsTheSamples(ContractEvent event) {
		assertThat(EventValidator.validate(event)).isEmpty();
		assertThat(EventValidator.requireValid(event)).isSameAs(event);
	}

	@Test
	void rejectsNullFieldsOfARecordBuiltInJava() {
		UsageEvent event = new UsageEvent(null, null, null, null, null, null, null, null, false, null, 0, null, null,
				200, null, null, null, null, 0);

		assertThat(EventValidator.validate(event)).extracting(Violation::field)
			.containsExactly("event_id", "tenant_id", "api_key_id", "provider", "model", "endpoint", "service_tier",
					"tokens", "context_tier", "outcome", "started_at", "completed_at");
		assertThat(EventValidator.validate(event)).extracting(Violation::code).containsOnly("required");
	}

	@Test
	void rejectsNegativeCountsEverywhere() {
		TokenCounts negative = new TokenCounts(-1, -2, -3, -4, -5, -6, -7);
		UsageEvent e = Samples.usage();
		UsageEvent event = e.toBuilder().tokens(negative).totalInputTokens(-15).upstreamLatencyMs(-1).build();

		assertThat(EventValidator.validate(event)).extracting(Violation::field, Violation::code)
			.containsExactly(tuple("tokens.input", "negative"), tuple("tokens.output", "negative"),
					tuple("tokens.cache_write_5m", "negative"), tuple("tokens.cache_write_1h", "negative"),
					tuple("tokens.cache_read", "negative"), tuple("tokens.reasoning", "negative"),
					tuple("tokens.server_tool_uses", "negative"), tuple("total_input_tokens", "negative"),
					tuple("upstream_latency_ms", "negative"));
	}

	@Test
	void boundsTheLabels() {
		Map<String, String> labels = new HashMap<>();
		for (int i = 0; i < 33; i++) {
			labels.put("label" + i, "v");
		}
		labels.put("", "empty key");

		assertThat(EventValidator.validate(withLabels(labels))).extracting(Violation::field, Violation::code)
			.containsExactlyInAnyOrder(tuple("labels", "too_long"), tuple("labels.", "invalid_format"));
	}

	@Test
	void rejectsALabelWithANullValue() {
		Map<String, String> labels = new HashMap<>();
		labels.put("team", null);

		assertThat(EventValidator.validate(withLabels(labels)))
			.containsExactly(new Violation("labels.team", "required", "is required"));
	}

	@Test
	void countsLengthInCharactersNotUtf16Units() {
		String emoji = "\uD83D\uDE80".repeat(200);

		assertThat(EventValidator.validate(withLabels(Map.of("rocket", emoji)))).isEmpty();
	}

	@Test
	void doesNotOverflowWhenSummingHugeCounts() {
		UsageEvent e = Samples.usage();
		TokenCounts huge = new TokenCounts(Long.MAX_VALUE, 0, Long.MAX_VALUE, 0, 0, 0, 0);
		UsageEvent event = e.toBuilder().tokens(huge).totalInputTokens(Long.MAX_VALUE - 1).upstreamLatencyMs(1).build();

		assertThat(EventValidator.validate(event)).extracting(Violation::field, Violation::code)
			.containsExactly(tuple("total_input_tokens", "inconsistent"));
	}

	@Test
	void requiresMeteredRequestsToBeTheSumOfOutcomes() {
		MeteredUsage m = Samples.metered();
		MeteredUsage delta = new MeteredUsage(m.deltaId(), m.tenantId(), m.apiKeyId(), m.provider(), m.model(),
				m.serviceTier(), m.contextTier(), Instant.parse("2025-06-01T12:00:00.001Z"), m.bucketWidth(), 5, 1, 1,
				1, m.tokens(), m.producedAt());

		assertThat(EventValidator.validate(delta)).extracting(Violation::field, Violation::code)
			.containsExactly(tuple("bucket_start", "inconsistent"), tuple("requests", "inconsistent"));
	}

	@Test
	void rejectsNegativeAmountsAndAnEmptyPeriod() {
		SpendUpdate s = Samples.spend();
		SpendUpdate update = new SpendUpdate(s.updateId(), s.tenantId(), s.apiKeyId(), s.periodStart(), s.periodStart(),
				"US", new BigDecimal("-0.000001"), new BigDecimal("-1"), null, s.asOf(), false, List.of(100, 50));

		assertThat(EventValidator.validate(update)).containsExactly(
				new Violation("period_end", "out_of_order",
						"must be after period_start (2025-06-01T00:00:00Z), was 2025-06-01T00:00:00Z"),
				new Violation("currency", "invalid_format", "'US' is not an ISO 4217 currency code such as USD"),
				new Violation("spend_to_date", "negative", "must be >= 0, was -0.000001"),
				new Violation("cap", "negative", "must be >= 0, was -1"),
				new Violation("forecast_period_end", "required", "is required"), new Violation("alert_thresholds[1]",
						"inconsistent", "thresholds must be increasing, but 50 follows 100"));
	}

	@Test
	void requiresAPauseToEndAfterItWasDecided() {
		KeyControl k = Samples.keyControl();
		KeyControl control = new KeyControl(k.controlId(), k.tenantId(), k.apiKeyId(), k.action(), "Manual", null,
				k.decidedAt().minusSeconds(1), k.decidedAt());

		assertThat(EventValidator.validate(control)).extracting(Violation::field, Violation::code)
			.containsExactly(tuple("reason", "invalid_format"), tuple("until", "out_of_order"));
	}

	@Test
	void requireValidThrowsWithEveryReason() {
		KeyControl k = Samples.keyControl();
		KeyControl control = new KeyControl(" ", k.tenantId(), k.apiKeyId(), null, k.reason(), null, null,
				k.decidedAt());

		assertThatExceptionOfType(InvalidEventException.class).isThrownBy(() -> EventValidator.requireValid(control))
			.withMessage(
					"invalid KeyControl: control_id: required (must not be blank); action: required (is required)");
	}

	@Test
	void quotesUntrustedValuesOnOneShortLine() {
		assertThat(Violation.quote("a\nb")).isEqualTo("'a\\u000ab'");
		assertThat(Violation.quote("x".repeat(100))).hasSize(64 + 5);
	}

	private static UsageEvent withLabels(Map<String, String> labels) {
		UsageEvent e = Samples.usage();
		return e.toBuilder().labels(labels).build();
	}

}
