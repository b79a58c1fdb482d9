package io.tollgate.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The contract's rules for the content of events: the one place that decides whether an
 * event is acceptable. Producers validate before they publish, consumers get the same
 * rules through {@link EventCodec#decode}.
 *
 * <p>
 * The structural rules (required fields, types, enumerations, formats, lengths, ranges)
 * are the JSON Schemas under {@code schemas/}, applied by {@link ContractSchema}; only
 * the rules that relate two fields, which JSON Schema cannot express (a total and its
 * parts, an end and its start, a bucket start and its width, thresholds in order), are
 * written here.
 */
public final class EventValidator {

	private EventValidator() {
	}

	/**
	 * Checks an event against every rule of the contract.
	 * @param event the event
	 * @return every violation found, empty when the event is valid
	 */
	public static List<Violation> validate(ContractEvent event) {
		ContractSchema schema = ContractSchema.of(event.getClass());
		List<Violation> violations = new ArrayList<>(
				schema.check(EventCodec.shared().mapper().valueToTree(event), true));
		violations.addAll(crossField(event, fields(violations)));
		return schema.inFieldOrder(violations);
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

	static Set<String> fields(List<Violation> violations) {
		Set<String> fields = new HashSet<>();
		violations.forEach((violation) -> fields.add(violation.field()));
		return fields;
	}

	/**
	 * The rules between fields, for an event whose fields in {@code reported} already
	 * broke the schema: those are neither reported again nor used with a made-up value.
	 */
	static List<Violation> crossField(ContractEvent event, Set<String> reported) {
		Rules rules = new Rules(reported);
		switch (event) {
			case UsageEvent usage -> usage(usage, rules);
			case MeteredUsage metered -> metered(metered, rules);
			case SpendUpdate spend -> spend(spend, rules);
			case KeyControl control -> control(control, rules);
		}
		return rules.violations;
	}

	private static void usage(UsageEvent event, Rules rules) {
		TokenCounts tokens = event.tokens();
		if (tokens != null) {
			tokens("tokens", tokens, rules);
			if (rules.known("total_input_tokens", "tokens.input", "tokens.cache_write_5m", "tokens.cache_write_1h",
					"tokens.cache_read")) {
				long sum = saturatedSum(tokens.input(), tokens.cacheWrite5m(), tokens.cacheWrite1h(),
						tokens.cacheRead());
				if (sum != event.totalInputTokens()) {
					rules.add("total_input_tokens", Violation.INCONSISTENT,
							"must equal tokens.input + cache_write_5m + cache_write_1h + cache_read = " + sum + ", was "
									+ event.totalInputTokens());
				}
			}
		}
		rules.inOrder("started_at", event.startedAt(), "completed_at", event.completedAt(), false);
	}

	private static void metered(MeteredUsage delta, Rules rules) {
		if (delta.bucketStart() != null && delta.bucketWidth() != null && rules.known("bucket_start", "bucket_width")
				&& !delta.bucketWidth().isAligned(delta.bucketStart())) {
			rules.add("bucket_start", Violation.INCONSISTENT, "must be aligned to the bucket width "
					+ delta.bucketWidth().wire() + " (UTC epoch), was " + delta.bucketStart());
		}
		if (rules.known("requests", "successes", "upstream_errors", "client_aborts")) {
			long sum = saturatedSum(delta.successes(), delta.upstreamErrors(), delta.clientAborts());
			if (sum != delta.requests()) {
				rules.add("requests", Violation.INCONSISTENT,
						"must equal successes + upstream_errors + client_aborts = " + sum + ", was "
								+ delta.requests());
			}
		}
		if (delta.tokens() != null) {
			tokens("tokens", delta.tokens(), rules);
		}
	}

	private static void spend(SpendUpdate update, Rules rules) {
		rules.inOrder("period_start", update.periodStart(), "period_end", update.periodEnd(), true);
		List<Integer> thresholds = update.alertThresholds();
		if (!rules.known("alert_thresholds")) {
			return;
		}
		for (int i = 1; i < thresholds.size(); i++) {
			String field = "alert_thresholds[" + i + "]";
			int percent = thresholds.get(i);
			int previous = thresholds.get(i - 1);
			if (rules.known(field, "alert_thresholds[" + (i - 1) + "]") && percent <= previous) {
				rules.add(field, Violation.INCONSISTENT,
						"thresholds must be increasing, but " + percent + " follows " + previous);
			}
		}
	}

	private static void control(KeyControl control, Rules rules) {
		rules.inOrder("decided_at", control.decidedAt(), "until", control.until(), true);
	}

	private static void tokens(String field, TokenCounts tokens, Rules rules) {
		if (rules.known(field + ".reasoning", field + ".output") && tokens.reasoning() > tokens.output()) {
			rules.add(field + ".reasoning", Violation.INCONSISTENT, "must not exceed output (" + tokens.output()
					+ "), which already includes it, was " + tokens.reasoning());
		}
	}

	/** Sums non-negative counts without wrapping: a wrapped sum could look consistent. */
	private static long saturatedSum(long... values) {
		long sum = 0;
		for (long value : values) {
			sum = (sum > Long.MAX_VALUE - value) ? Long.MAX_VALUE : sum + value;
		}
		return sum;
	}

	/** Collects the violations of the cross-field rules of one event. */
	private static final class Rules {

		private final Set<String> reported;

		private final List<Violation> violations = new ArrayList<>();

		Rules(Set<String> reported) {
			this.reported = reported;
		}

		void add(String field, String code, String message) {
			this.violations.add(new Violation(field, code, message));
		}

		/**
		 * Whether every given field can be used: neither it nor an enclosing object was
		 * already reported.
		 */
		boolean known(String... fields) {
			for (String field : fields) {
				for (String done : this.reported) {
					if (field.equals(done) || field.startsWith(done + ".") || field.startsWith(done + "[")
							|| done.equals("$")) {
						return false;
					}
				}
			}
			return true;
		}

		/**
		 * Reports {@code laterField} when it is before {@code earlierField} (or equal, if
		 * strict).
		 */
		void inOrder(String earlierField, @Nullable Instant earlier, String laterField, @Nullable Instant later,
				boolean strict) {
			if (earlier == null || later == null || !known(earlierField, laterField)) {
				return;
			}
			if (later.isBefore(earlier) || (strict && later.equals(earlier))) {
				add(laterField, Violation.OUT_OF_ORDER, "must be " + (strict ? "after " : "at or after ") + earlierField
						+ " (" + earlier + "), was " + later);
			}
		}

	}

}
