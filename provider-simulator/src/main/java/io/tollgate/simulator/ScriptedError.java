package io.tollgate.simulator;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An error answer for a scripted request. The simulator writes it in the shape of the
 * route's provider: Anthropic
 * {@code {"type":"error","error":{"type":..,"message":..},"request_id":..}} with a
 * {@code request-id} header, OpenAI
 * {@code {"error":{"message":..,"type":..,"param":null,"code":..}}} with
 * {@code x-request-id} and {@code x-ratelimit-*} headers, Gemini
 * {@code {"error":{"code":..,"message":..,"status":..}}}.
 *
 * @param status the HTTP status, 400 to 599 (529 is Anthropic's "overloaded")
 * @param type the provider's error type; {@code null} picks the one the provider uses for
 * the status (Anthropic {@code rate_limit_error}, OpenAI {@code requests}, Gemini
 * {@code RESOURCE_EXHAUSTED} for 429, and so on). For Gemini it is the {@code status}
 * field.
 * @param code OpenAI's {@code code} field (e.g. {@code insufficient_quota}); {@code null}
 * picks the provider's usual one for the status. Ignored by Anthropic and Gemini.
 * @param message the human-readable message; {@code null} for a generic one
 * @param retryAfter the {@code retry-after} to announce; {@code null} means one second on
 * 429 and 529 (providers always send one there) and none otherwise
 */
public record ScriptedError(int status, @Nullable String type, @Nullable String code, @Nullable String message,
		@Nullable Duration retryAfter) {

	private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

	public ScriptedError {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("An error status is 400 to 599, not " + status);
		}
		if (retryAfter != null && retryAfter.isNegative()) {
			throw new IllegalArgumentException("retryAfter must not be negative");
		}
	}

	/**
	 * An error with the provider's usual type, code and message for the status.
	 * @param status the HTTP status, 400 to 599
	 * @return the error
	 */
	public static ScriptedError of(int status) {
		return new ScriptedError(status, null, null, null, null);
	}

	public ScriptedError withType(String type) {
		return new ScriptedError(this.status, type, this.code, this.message, this.retryAfter);
	}

	public ScriptedError withCode(String code) {
		return new ScriptedError(this.status, this.type, code, this.message, this.retryAfter);
	}

	public ScriptedError withMessage(String message) {
		return new ScriptedError(this.status, this.type, this.code, message, this.retryAfter);
	}

	public ScriptedError withRetryAfter(Duration retryAfter) {
		return new ScriptedError(this.status, this.type, this.code, this.message, retryAfter);
	}

	/**
	 * The retry-after to send, or {@code null} for none.
	 * @return the effective retry-after
	 */
	@Nullable Duration effectiveRetryAfter() {
		if (this.retryAfter != null) {
			return this.retryAfter;
		}
		return (this.status == 429 || this.status == 529) ? DEFAULT_RETRY_AFTER : null;
	}

	/** Whole seconds, rounded up, as providers write {@code retry-after}. */
	@Nullable String retryAfterSeconds() {
		Duration after = effectiveRetryAfter();
		if (after == null) {
			return null;
		}
		long seconds = after.toSeconds() + ((after.toNanosPart() > 0) ? 1 : 0);
		return Long.toString(seconds);
	}

}
