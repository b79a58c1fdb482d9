package io.tollgate.contract;

import java.io.Serializable;

/**
 * One reason why an event, or its CloudEvents headers, breaks the contract.
 *
 * <p>
 * Serializable because Spring Kafka's {@code ErrorHandlingDeserializer} ships the
 * deserialization exception, and with it these violations, to the error handler in a
 * record header.
 *
 * @param field where the problem is: a JSON path such as {@code tokens.input} or
 * {@code tenant_id}, {@code $} for the whole document, or a header name such as
 * {@code ce_type}
 * @param code a stable machine-readable code, one of the constants of this class
 * @param message a one-line human explanation, e.g. {@code must be >= 0, was -5}
 */
public record Violation(String field, String code, String message) implements Serializable {

	/** A required field or header is absent, null or blank. */
	public static final String REQUIRED = "required";

	/** A count or amount is below zero. */
	public static final String NEGATIVE = "negative";

	/** A value is not one of an enumeration's values. */
	public static final String UNKNOWN_VALUE = "unknown_value";

	/** The payload is not well-formed JSON. */
	public static final String MALFORMED_JSON = "malformed_json";

	/** A value has the wrong JSON type, e.g. a string where an integer belongs. */
	public static final String WRONG_TYPE = "wrong_type";

	/** A string does not have the required form (UUID, date-time, decimal, code). */
	public static final String INVALID_FORMAT = "invalid_format";

	/** A number is outside its allowed range (other than below zero). */
	public static final String OUT_OF_RANGE = "out_of_range";

	/** Two instants are in the wrong order, e.g. completed before started. */
	public static final String OUT_OF_ORDER = "out_of_order";

	/** A string or a map is longer than allowed. */
	public static final String TOO_LONG = "too_long";

	/** Fields that must agree do not, e.g. a total that is not the sum of its parts. */
	public static final String INCONSISTENT = "inconsistent";

	/** A CloudEvents header disagrees with the topic or with the event it carries. */
	public static final String MISMATCH = "mismatch";

	private static final int QUOTED_MAX = 64;

	/**
	 * A string value as shown in a message: quoted, cut short, one line. Values come from
	 * untrusted input and end up in logs and dead-letter headers.
	 * @param value the value
	 * @return the value in single quotes, at most {@value #QUOTED_MAX} characters of it
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

	/**
	 * This violation in the one-line form used in exception messages and dead-letter
	 * headers.
	 * @return {@code field: code (message)}
	 */
	public String describe() {
		return this.field + ": " + this.code + " (" + this.message + ")";
	}

}
