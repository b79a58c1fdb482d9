package io.tollgate.contract;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The contract's rules for the content of events: the one place that decides whether an
 * event is acceptable. Producers validate before they publish, consumers get the same
 * rules through {@link EventCodec#decode}.
 *
 * <p>
 * The JSON Schemas under {@code schemas/} express the same rules as far as JSON Schema
 * can; the rules that relate two fields (a total and its parts, an end and its start, a
 * bucket start and its width) exist only here.
 */
public final class EventValidator {

	/** Longest id (tenant, key, event, delta, update, control), in characters. */
	public static final int MAX_ID_LENGTH = 200;

	/** Longest model name, stop reason and request fingerprint, in characters. */
	public static final int MAX_TEXT_LENGTH = 200;

	/** Most labels on one usage event. */
	public static final int MAX_LABELS = 32;

	/** Longest label value, in characters. */
	public static final int MAX_LABEL_VALUE_LENGTH = 256;

	/** Longest key-control message, in characters. */
	public static final int MAX_MESSAGE_LENGTH = 1000;

	// Label keys become query dimensions and metric tags later, so keep them to a safe
	// set.
	static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9_.:/-]{1,64}");

	static final Pattern REASON_CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

	static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

	private EventValidator() {
	}

	/**
	 * Checks an event against every rule of the contract.
	 * @param event the event
	 * @return every violation found, empty when the event is valid
	 */
	public static List<Violation> validate(ContractEvent event) {
		return validate(event, Set.of());
	}

	/**
	 * Checks an event and throws when it breaks the contract; for producers, before they
	 * publish.
	 * @param <T> the event type
	 * @param event the event
	 * @return the event
	 * @throws InvalidEventException listing every violation
	 */
	public static <T extends ContractEvent> T requireValid(T event) {
		List<Violation> violations = validate(event);
		if (!violations.isEmpty()) {
			throw new InvalidEventException("invalid " + event.getClass().getSimpleName(), violations);
		}
		return event;
	}

	/**
	 * Checks an event bound from JSON whose fields in {@code reported} were already found
	 * wrong while decoding and hold placeholders.
	 */
	static List<Violation> validate(ContractEvent event, Set<String> reported) {
		Checks checks = new Checks(reported);
		switch (event) {
			case UsageEvent usage -> usage(usage, checks);
			case MeteredUsage metered -> metered(metered, checks);
			case SpendUpdate spend -> spend(spend, checks);
			case KeyControl control -> control(control, checks);
		}
		return checks.violations();
	}

	private static void usage(UsageEvent event, Checks checks) {
		if (checks.text("event_id", event.eventId(), MAX_ID_LENGTH)) {
			checks.check("event_id", event.eventId(), EventIds.isCanonicalUuid(event.eventId()),
					"is not a UUID in canonical lower-case form");
		}
		checks.id("tenant_id", event.tenantId());
		checks.id("api_key_id", event.apiKeyId());
		labels(event.labels(), checks);
		checks.required("provider", event.provider());
		checks.text("model", event.model(), MAX_TEXT_LENGTH);
		checks.required("endpoint", event.endpoint());
		checks.required("service_tier", event.serviceTier());
		boolean tokensValid = tokens("tokens", event.tokens(), checks);
		if (checks.nonNegative("total_input_tokens", event.totalInputTokens()) && tokensValid
				&& checks.known("total_input_tokens")) {
			TokenCounts tokens = event.tokens();
			long sum = saturatedSum(tokens.input(), tokens.cacheWrite5m(), tokens.cacheWrite1h(), tokens.cacheRead());
			if (sum != event.totalInputTokens()) {
				checks.add("total_input_tokens", Violation.INCONSISTENT,
						"must equal tokens.input + cache_write_5m + cache_write_1h + cache_read = " + sum + ", was "
								+ event.totalInputTokens());
			}
		}
		checks.required("context_tier", event.contextTier());
		checks.required("outcome", event.outcome());
		checks.range("http_status", event.httpStatus(), 100, 599);
		checks.optionalText("stop_reason", event.stopReason(), MAX_TEXT_LENGTH);
		checks.optionalText("request_fingerprint", event.requestFingerprint(), MAX_TEXT_LENGTH);
		checks.required("started_at", event.startedAt());
		checks.required("completed_at", event.completedAt());
		checks.inOrder("started_at", event.startedAt(), "completed_at", event.completedAt(), false);
		checks.nonNegative("upstream_latency_ms", event.upstreamLatencyMs());
	}

	private static void metered(MeteredUsage delta, Checks checks) {
		checks.id("delta_id", delta.deltaId());
		checks.id("tenant_id", delta.tenantId());
		checks.id("api_key_id", delta.apiKeyId());
		checks.required("provider", delta.provider());
		checks.text("model", delta.model(), MAX_TEXT_LENGTH);
		checks.required("service_tier", delta.serviceTier());
		checks.required("context_tier", delta.contextTier());
		boolean start = checks.required("bucket_start", delta.bucketStart());
		boolean width = checks.required("bucket_width", delta.bucketWidth());
		if (start && width && !delta.bucketWidth().isAligned(delta.bucketStart())) {
			checks.add("bucket_start", Violation.INCONSISTENT, "must be aligned to the bucket width "
					+ delta.bucketWidth().wire() + " (UTC epoch), was " + delta.bucketStart());
		}
		boolean counts = checks.nonNegative("requests", delta.requests())
				& checks.nonNegative("successes", delta.successes())
				& checks.nonNegative("upstream_errors", delta.upstreamErrors())
				& checks.nonNegative("client_aborts", delta.clientAborts());
		if (counts && checks.known("requests", "successes", "upstream_errors", "client_aborts")) {
			long sum = saturatedSum(delta.successes(), delta.upstreamErrors(), delta.clientAborts());
			if (sum != delta.requests()) {
				checks.add("requests", Violation.INCONSISTENT,
						"must equal successes + upstream_errors + client_aborts = " + sum + ", was "
								+ delta.requests());
			}
		}
		tokens("tokens", delta.tokens(), checks);
		checks.required("produced_at", delta.producedAt());
	}

	private static void spend(SpendUpdate update, Checks checks) {
		checks.id("update_id", update.updateId());
		checks.id("tenant_id", update.tenantId());
		checks.optionalId("api_key_id", update.apiKeyId());
		checks.required("period_start", update.periodStart());
		checks.required("period_end", update.periodEnd());
		checks.inOrder("period_start", update.periodStart(), "period_end", update.periodEnd(), true);
		if (checks.required("currency", update.currency())) {
			checks.matches("currency", update.currency(), CURRENCY, "is not an ISO 4217 currency code such as USD");
		}
		amount("spend_to_date", update.spendToDate(), true, checks);
		amount("cap", update.cap(), false, checks);
		amount("forecast_period_end", update.forecastPeriodEnd(), true, checks);
		checks.required("as_of", update.asOf());
		thresholds(update.alertThresholds(), checks);
	}

	private static void thresholds(List<Integer> thresholds, Checks checks) {
		if (!checks.known("alert_thresholds")) {
			return;
		}
		if (thresholds.size() > SpendUpdate.MAX_ALERT_THRESHOLDS) {
			checks.add("alert_thresholds", Violation.TOO_LONG,
					"must have at most " + SpendUpdate.MAX_ALERT_THRESHOLDS + " entries, had " + thresholds.size());
		}
		int previous = 0;
		for (int i = 0; i < thresholds.size(); i++) {
			int percent = thresholds.get(i);
			String field = "alert_thresholds[" + i + "]";
			if (percent < 1 || percent > SpendUpdate.MAX_ALERT_THRESHOLD_PERCENT) {
				checks.add(field, Violation.OUT_OF_RANGE,
						"must be from 1 to " + SpendUpdate.MAX_ALERT_THRESHOLD_PERCENT + " percent, was " + percent);
			}
			else if (percent <= previous) {
				checks.add(field, Violation.INCONSISTENT,
						"thresholds must be increasing, but " + percent + " follows " + previous);
			}
			previous = Math.max(previous, percent);
		}
	}

	private static void control(KeyControl control, Checks checks) {
		checks.id("control_id", control.controlId());
		checks.id("tenant_id", control.tenantId());
		checks.id("api_key_id", control.apiKeyId());
		checks.required("action", control.action());
		if (checks.text("reason", control.reason(), 64)) {
			checks.matches("reason", control.reason(), REASON_CODE,
					"is not a reason code in lower snake case such as budget_exhausted");
		}
		checks.optionalText("message", control.message(), MAX_MESSAGE_LENGTH);
		checks.required("decided_at", control.decidedAt());
		checks.inOrder("decided_at", control.decidedAt(), "until", control.until(), true);
	}

	private static void labels(@Nullable Map<String, String> labels, Checks checks) {
		if (labels == null || !checks.known("labels")) {
			return;
		}
		if (labels.size() > MAX_LABELS) {
			checks.add("labels", Violation.TOO_LONG,
					"must have at most " + MAX_LABELS + " entries, had " + labels.size());
		}
		labels.forEach((key, value) -> {
			String field = "labels." + key;
			if (checks.known(field)
					&& checks.matches(field, key, LABEL_KEY, "is not a label key (1 to 64 of A-Z a-z 0-9 _ . : / -)")) {
				if (checks.required(field, value)) {
					checks.maxLength(field, value, MAX_LABEL_VALUE_LENGTH);
				}
			}
		});
	}

	/** Returns whether the counts are present and every one of them non-negative. */
	private static boolean tokens(String field, @Nullable TokenCounts tokens, Checks checks) {
		if (!checks.required(field, tokens)) {
			return false;
		}
		boolean valid = checks.nonNegative(field + ".input", tokens.input())
				& checks.nonNegative(field + ".output", tokens.output())
				& checks.nonNegative(field + ".cache_write_5m", tokens.cacheWrite5m())
				& checks.nonNegative(field + ".cache_write_1h", tokens.cacheWrite1h())
				& checks.nonNegative(field + ".cache_read", tokens.cacheRead())
				& checks.nonNegative(field + ".reasoning", tokens.reasoning())
				& checks.nonNegative(field + ".server_tool_uses", tokens.serverToolUses());
		if (valid && checks.known(field + ".reasoning", field + ".output") && tokens.reasoning() > tokens.output()) {
			checks.add(field + ".reasoning", Violation.INCONSISTENT, "must not exceed output (" + tokens.output()
					+ "), which already includes it, was " + tokens.reasoning());
		}
		return valid && checks.known(field + ".input", field + ".cache_write_5m", field + ".cache_write_1h",
				field + ".cache_read");
	}

	private static void amount(String field, @Nullable BigDecimal amount, boolean required, Checks checks) {
		if (required && !checks.required(field, amount)) {
			return;
		}
		checks.nonNegative(field, amount);
	}

	/** Sums non-negative counts without wrapping: a wrapped sum could look consistent. */
	private static long saturatedSum(long... values) {
		long sum = 0;
		for (long value : values) {
			sum = (sum > Long.MAX_VALUE - value) ? Long.MAX_VALUE : sum + value;
		}
		return sum;
	}

}
