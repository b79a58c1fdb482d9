package io.tollgate.billing.catalog;

import java.time.Instant;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.support.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CorrectionRequestTests {

	private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	private static final String VALID = """
			{"provider": "anthropic", "model": "claude-sonnet-4-5", "service_tier": "standard",
			 "context_tier": "standard", "token_kind": "input", "usd_per_mtok": "2.40",
			 "from": "2026-11-01T00:00:00Z", "to": "2026-11-02T00:00:00.0000019+01:00",
			 "reason": "list price misread"}""";

	@Test
	void parsesAValidCorrection() {
		CorrectionRequest request = CorrectionRequest.parse(VALID, NOW);
		assertThat(request.provider()).isEqualTo(Provider.ANTHROPIC);
		assertThat(request.model()).isEqualTo("claude-sonnet-4-5");
		assertThat(request.serviceTier()).isEqualTo(ServiceTier.STANDARD);
		assertThat(request.contextTier()).isEqualTo(ContextTier.STANDARD);
		assertThat(request.tokenKind()).isEqualTo(TokenKind.INPUT);
		assertThat(request.usdPerMtok()).isEqualByComparingTo("2.4");
		assertThat(request.from()).isEqualTo("2026-11-01T00:00:00Z");
		// To the microsecond, the table's precision.
		assertThat(request.to()).isEqualTo("2026-11-01T23:00:00.000001Z");
		assertThat(request.reason()).isEqualTo("list price misread");
	}

	@Test
	void acceptsARangeEndingNowWithinTheClockSkew() {
		String body = VALID.replace("2026-11-02T00:00:00.0000019+01:00", "2026-11-23T12:00:59Z");
		assertThat(CorrectionRequest.parse(body, NOW).to()).isEqualTo("2026-11-23T12:00:59Z");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "\"provider\": \"anthropic\"|\"provider\": \"mistral\"|provider",
			"\"provider\": \"anthropic\"|\"provider\": \"\"|provider",
			"\"model\": \"claude-sonnet-4-5\"|\"model\": \"Claude Sonnet\"|model",
			"\"service_tier\": \"standard\"|\"service_tier\": \"cheap\"|service_tier",
			"\"context_tier\": \"standard\"|\"context_tier\": 1|context_tier",
			"\"token_kind\": \"input\"|\"token_kind\": \"reasoning\"|token_kind",
			"\"usd_per_mtok\": \"2.40\"|\"usd_per_mtok\": \"-1\"|usd_per_mtok",
			"\"usd_per_mtok\": \"2.40\"|\"usd_per_mtok\": \"2,40\"|usd_per_mtok",
			"\"usd_per_mtok\": \"2.40\"|\"usd_per_mtok\": true|usd_per_mtok",
			"\"usd_per_mtok\": \"2.40\"|\"usd_per_mtok\": \"100001\"|usd_per_mtok",
			"\"from\": \"2026-11-01T00:00:00Z\"|\"from\": \"2026-11-01\"|from",
			"\"from\": \"2026-11-01T00:00:00Z\"|\"from\": \"2026-11-02T00:00:00Z\"|to",
			"\"to\": \"2026-11-02T00:00:00.0000019+01:00\"|\"to\": \"2026-11-01T00:00:00Z\"|to",
			"\"to\": \"2026-11-02T00:00:00.0000019+01:00\"|\"to\": \"2026-11-23T12:01:01Z\"|to",
			"\"reason\": \"list price misread\"|\"reason\": \" \"|reason",
			"\"reason\": \"list price misread\"|\"reason\": \"x\", \"effective_from\": \"2026-11-01T00:00:00Z\"|effective_from" })
	void refusesAnInvalidFieldNamingIt(String field, String replacement, String param) {
		assertThat(VALID).contains(field);
		assertRefused(VALID.replace(field, replacement), param);
	}

	@Test
	void refusesAMissingFieldNamingIt() {
		assertRefused(VALID.replace("\"token_kind\": \"input\",", ""), "token_kind");
		assertRefused(VALID.replace(", \"usd_per_mtok\": \"2.40\"", ""), "usd_per_mtok");
	}

	@Test
	void refusesABodyThatIsNoObject() {
		assertRefused(null, "body");
		assertRefused("", "body");
		assertRefused("{", "body");
		assertRefused("[]", "body");
	}

	@Test
	void refusesAReasonLongerThan500Characters() {
		assertRefused(VALID.replace("list price misread", "x".repeat(501)), "reason");
	}

	private static void assertRefused(String body, String param) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> CorrectionRequest.parse(body, NOW))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(ApiException.INVALID_PARAMETER);
				assertThat(ex.details()).containsEntry("param", param);
			});
	}

}
