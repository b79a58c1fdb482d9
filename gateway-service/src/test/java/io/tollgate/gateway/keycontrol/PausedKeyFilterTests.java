package io.tollgate.gateway.keycontrol;

import java.time.Instant;

import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.support.web.ApiException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a paused key's refusal says: what is paused, why, and when access returns.
 */
class PausedKeyFilterTests {

	private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");

	@Test
	void aKeysPauseNamesTheKeyTheReasonAndWhenAccessReturns() {
		Instant until = Instant.parse("2026-12-01T00:00:00Z");
		ApiException refusal = PausedKeyFilter.refusal(new KeyControl("c-1", "t1", "k1", KeyAction.PAUSE,
				KeyControl.BUDGET_EXHAUSTED, "Budget 'prod' ($100.00 a month) is spent", until, NOW));

		assertThat(refusal.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(refusal.code()).isEqualTo("budget_exhausted");
		assertThat(refusal.getMessage()).isEqualTo("This API key (k1) is paused (budget_exhausted): "
				+ "Budget 'prod' ($100.00 a month) is spent. Access returns at 2026-12-01T00:00:00Z.");
		assertThat(refusal.details()).containsEntry("pause_scope", "api_key")
			.containsEntry("control_id", "c-1")
			.containsEntry("retry_at", "2026-12-01T00:00:00Z");
	}

	@Test
	void aTenantsPauseWithoutUntilSaysOnlyAResumeLiftsIt() {
		ApiException refusal = PausedKeyFilter.refusal(
				new KeyControl("c-2", "t1", KeyControl.ALL_KEYS, KeyAction.PAUSE, KeyControl.MANUAL, null, null, NOW));

		assertThat(refusal.code()).isEqualTo("manual");
		assertThat(refusal.getMessage())
			.isEqualTo("Every API key of tenant t1 is paused (manual). It stays paused until it is resumed.");
		assertThat(refusal.details()).containsEntry("pause_scope", "tenant").doesNotContainKey("retry_at");
	}

	@Test
	void retryAfterIsInWholeSecondsRoundedUp() {
		assertThat(PausedKeyFilter.retryAfter(NOW, NOW.plusSeconds(60))).isEqualTo(60);
		assertThat(PausedKeyFilter.retryAfter(NOW, NOW.plusMillis(60_001))).isEqualTo(61);
		assertThat(PausedKeyFilter.retryAfter(NOW, NOW.plusNanos(1))).isEqualTo(1);
	}

}
