package io.tollgate.contract;

import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown where an invalid event cannot be returned as a {@link Decoded.Invalid}: by the
 * Kafka serdes and by {@link Decoded#orElseThrow()}. Its message lists every violation on
 * one line, because that message is what ends up in the dead-letter record's exception
 * header and in logs, where a reader has nothing else to go on.
 */
public class InvalidEventException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final List<Violation> violations;

	/**
	 * Creates an exception for an event of unknown type.
	 * @param violations every reason, not empty
	 */
	public InvalidEventException(List<Violation> violations) {
		this("invalid event", violations);
	}

	/**
	 * Creates an exception.
	 * @param context what was rejected, e.g.
	 * {@code invalid UsageEvent on tollgate.usage.v1}
	 * @param violations every reason, not empty
	 */
	public InvalidEventException(String context, List<Violation> violations) {
		super(context + ": " + summary(violations));
		this.violations = List.copyOf(violations);
	}

	/**
	 * Every reason the event was rejected.
	 * @return the violations, in the order found
	 */
	public List<Violation> getViolations() {
		return this.violations;
	}

	/**
	 * The one-line summary of a list of violations.
	 * @param violations the violations
	 * @return e.g. {@code tokens.input: negative (must be >= 0, was -5); provider: ...}
	 */
	public static String summary(List<Violation> violations) {
		return violations.stream().map(Violation::describe).collect(Collectors.joining("; "));
	}

}
