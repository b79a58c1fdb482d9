package io.tollgate.contract;

import java.util.List;

/**
 * The outcome of reading an event (or CloudEvents attributes): either a value that meets
 * the contract, or every reason it does not. Returned rather than thrown so that callers
 * such as the ingest API can answer with all reasons at once.
 *
 * @param <T> the type read
 */
public sealed interface Decoded<T> permits Decoded.Valid, Decoded.Invalid {

	/**
	 * Whether the value meets the contract.
	 * @return {@code true} for {@link Valid}
	 */
	boolean isValid();

	/**
	 * The reasons the value was rejected.
	 * @return the violations, empty for {@link Valid}
	 */
	List<Violation> violations();

	/**
	 * The value, or an exception listing every violation.
	 * @return the valid value
	 * @throws InvalidEventException when invalid
	 */
	T orElseThrow();

	/**
	 * A value that meets the contract.
	 *
	 * @param <T> the type read
	 * @param event the value
	 */
	record Valid<T>(T event) implements Decoded<T> {

		@Override
		public boolean isValid() {
			return true;
		}

		@Override
		public List<Violation> violations() {
			return List.of();
		}

		@Override
		public T orElseThrow() {
			return this.event;
		}

	}

	/**
	 * A value that breaks the contract.
	 *
	 * @param <T> the type that was to be read
	 * @param violations every reason, never empty
	 */
	record Invalid<T>(List<Violation> violations) implements Decoded<T> {

		@Override
		public boolean isValid() {
			return false;
		}

		@Override
		public T orElseThrow() {
			throw new InvalidEventException(this.violations);
		}

	}

}
