package io.tollgate.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Collects the violations of one event. Rules ask {@link #known} before they look at a
 * field, so that a field already reported while decoding (a wrong type, an unknown enum
 * value) is not reported a second time, nor used in a cross-field rule with a made-up
 * value.
 */
final class Checks {

	// The JSON Schemas say "\\s*" (blank) and "\\S+" (no whitespace) with
	// java.util.regex semantics (the networknt validator's default); isWhitespace below
	// is exactly that "\\s" (ASCII only), checked by hand because every event has
	// several such fields and a regular expression per field showed in metering's
	// profile.
	private static final int QUOTED_MAX = 64;

	private final Set<String> reported;

	private final List<Violation> violations = new ArrayList<>();

	Checks(Set<String> reported) {
		this.reported = reported;
	}

	List<Violation> violations() {
		return List.copyOf(this.violations);
	}

	void add(String field, String code, String message) {
		this.violations.add(new Violation(field, code, message));
	}

	/**
	 * Whether every given field can be checked: neither it nor an enclosing object was
	 * already reported.
	 */
	boolean known(String... fields) {
		for (String field : fields) {
			for (String done : this.reported) {
				if (field.equals(done) || field.startsWith(done + ".") || done.equals("$")) {
					return false;
				}
			}
		}
		return true;
	}

	boolean required(String field, @Nullable Object value) {
		if (!known(field)) {
			return false;
		}
		if (value == null) {
			add(field, Violation.REQUIRED, "is required");
			return false;
		}
		return true;
	}

	/** A required string with at least one non-whitespace character. */
	boolean text(String field, @Nullable String value, int maxLength) {
		if (!required(field, value)) {
			return false;
		}
		if (isBlank(value)) {
			add(field, Violation.REQUIRED, "must not be blank");
			return false;
		}
		return maxLength(field, value, maxLength);
	}

	/** An optional string of bounded length; blank is allowed. */
	void optionalText(String field, @Nullable String value, int maxLength) {
		if (value != null && known(field)) {
			maxLength(field, value, maxLength);
		}
	}

	/** A required id: non-blank, bounded, no whitespace. */
	boolean id(String field, @Nullable String value) {
		if (!text(field, value, EventValidator.MAX_ID_LENGTH)) {
			return false;
		}
		if (containsWhitespace(value)) {
			add(field, Violation.INVALID_FORMAT, quote(value) + " must not contain whitespace");
			return false;
		}
		return true;
	}

	/** Java regex's {@code \\s}: space, tab, newline, vertical tab, form feed, return. */
	private static boolean isWhitespace(char c) {
		return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
	}

	private static boolean isBlank(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (!isWhitespace(value.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean containsWhitespace(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (isWhitespace(value.charAt(i))) {
				return true;
			}
		}
		return false;
	}

	void optionalId(String field, @Nullable String value) {
		if (value != null) {
			id(field, value);
		}
	}

	/** Records a format violation unless {@code valid}. */
	boolean check(String field, String value, boolean valid, String expectation) {
		if (!valid) {
			add(field, Violation.INVALID_FORMAT, quote(value) + " " + expectation);
			return false;
		}
		return true;
	}

	boolean matches(String field, String value, Pattern pattern, String expectation) {
		if (!pattern.matcher(value).matches()) {
			add(field, Violation.INVALID_FORMAT, quote(value) + " " + expectation);
			return false;
		}
		return true;
	}

	boolean maxLength(String field, String value, int maxLength) {
		int length = value.codePointCount(0, value.length());
		if (length > maxLength) {
			add(field, Violation.TOO_LONG, "must be at most " + maxLength + " characters, was " + length);
			return false;
		}
		return true;
	}

	boolean nonNegative(String field, long value) {
		if (known(field) && value < 0) {
			add(field, Violation.NEGATIVE, "must be >= 0, was " + value);
			return false;
		}
		return true;
	}

	boolean nonNegative(String field, @Nullable BigDecimal value) {
		if (value != null && known(field) && value.signum() < 0) {
			add(field, Violation.NEGATIVE, "must be >= 0, was " + value.toPlainString());
			return false;
		}
		return true;
	}

	void range(String field, long value, long min, long max) {
		if (known(field) && (value < min || value > max)) {
			add(field, Violation.OUT_OF_RANGE, "must be between " + min + " and " + max + ", was " + value);
		}
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

	/**
	 * A string value as shown in a message: quoted, cut short, one line. Values come from
	 * untrusted input and end up in logs and dead-letter headers.
	 */
	static String quote(String value) {
		String shown = (value.codePointCount(0, value.length()) > QUOTED_MAX)
				? value.substring(0, value.offsetByCodePoints(0, QUOTED_MAX)) + "..." : value;
		StringBuilder quoted = new StringBuilder(shown.length() + 2).append('\'');
		shown.codePoints().forEach((c) -> {
			if (Character.isISOControl(c)) {
				quoted.append(String.format("\\u%04x", c));
			}
			else {
				quoted.appendCodePoint(c);
			}
		});
		return quoted.append('\'').toString();
	}

}
