package io.tollgate.billing.catalog;

import java.time.Instant;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.support.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PriceChangeTests {

	private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	private static final String VALID = """
			{"provider": "anthropic", "model": " claude-x ", "service_tier": "batch", "context_tier": "long",
			 "effective_from": "2026-12-01T01:00:00.0000019+01:00", "prices": {"input": "3.00", "output": 15},
			 "reason": " test price "}""";

	@Test
	void readsAVersionStrippedNormalisedAndToTheMicrosecond() {
		PriceChange change = PriceChange.parse(VALID, NOW);
		assertThat(change.provider()).isEqualTo(Provider.ANTHROPIC);
		assertThat(change.model()).isEqualTo("claude-x");
		assertThat(change.serviceTier()).isEqualTo(ServiceTier.BATCH);
		assertThat(change.contextTier()).isEqualTo(ContextTier.LONG);
		assertThat(change.effectiveFrom()).isEqualTo("2026-12-01T00:00:00.000001Z");
		assertThat(change.prices()).containsOnlyKeys(TokenKind.INPUT, TokenKind.OUTPUT);
		assertThat(change.prices().get(TokenKind.INPUT)).hasToString("3");
		assertThat(change.reason()).isEqualTo("test price");
	}

	@ParameterizedTest(name = "{1}")
	@CsvSource(delimiter = '|',
			value = { "\"anthropic\"|\"mistral\"|provider", "\"anthropic\"|1|provider", "\"anthropic\"|null|provider",
					"\" claude-x \"|\"Claude X\"|model", "\" claude-x \"|5|model", "\"batch\"|\"premium\"|service_tier",
					"\"long\"|1|context_tier", "2026-12-01T01:00:00.0000019+01:00|tomorrow|effective_from",
					"\"2026-12-01T01:00:00.0000019+01:00\"|1800000000|effective_from",
					"\"output\": 15|\"output\": \"-1\"|prices.output",
					"\"output\": 15|\"output\": \"2,40\"|prices.output",
					"\"output\": 15|\"output\": true|prices.output", "\"output\": 15|\"output\": null|prices.output",
					"\"output\": 15|\"output\": \"100001\"|prices.output",
					"\"output\": 15|\"output\": \"0.0000000000001\"|prices.output",
					"\"output\": 15|\"tokens\": \"1\"|prices.tokens", "{\"input\": \"3.00\", \"output\": 15}|{}|prices",
					"\" test price \"|\" \"|reason", "\" test price \"|\"x\", \"extra\": 1|extra",
					"\" test price \"|\"x\", \"reason\": \"y\"|body" })
	void refusesAnInvalidFieldNamingIt(String field, String replacement, String param) {
		assertThat(VALID).contains(field);
		assertRefused(VALID.replace(field, replacement), ApiException.INVALID_PARAMETER, param);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{", "[]", "\"x\"", "{} {}" })
	void refusesABodyThatIsNoObject(String body) {
		assertRefused(body, ApiException.INVALID_PARAMETER, "body");
	}

	@Test
	void refusesAVersionInThePastAsACorrection() {
		assertRefused(VALID.replace("2026-12-01T01:00:00.0000019+01:00", "2026-11-23T11:58:59Z"),
				PriceChange.EFFECTIVE_FROM_IN_PAST, "effective_from");
		assertThat(PriceChange.parse(VALID.replace("2026-12-01T01:00:00.0000019+01:00", "2026-11-23T11:59:00Z"), NOW)
			.effectiveFrom()).isEqualTo("2026-11-23T11:59:00Z");
	}

	private static void assertRefused(String body, String code, String param) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> PriceChange.parse(body, NOW)).satisfies((ex) -> {
			assertThat(ex.code()).isEqualTo(code);
			assertThat(ex.details()).containsEntry("param", param);
			assertThat(ex.getMessage()).isNotBlank();
		});
	}

}
