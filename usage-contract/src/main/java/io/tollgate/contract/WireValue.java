package io.tollgate.contract;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An enum constant with a fixed lower-case JSON spelling. Java constant names follow Java
 * conventions, the wire spelling follows the providers' own ({@code chat.completions}),
 * so the two are kept apart rather than derived from each other.
 */
public interface WireValue {

	/**
	 * The value as written in JSON.
	 * @return the wire spelling, never blank
	 */
	String wire();

	/**
	 * Looks a wire spelling up among an enum's constants (exact, case-sensitive match,
	 * like the JSON Schema {@code enum} keyword).
	 * @param <E> the enum type
	 * @param type the enum class
	 * @param wire the spelling to look up
	 * @return the constant, or empty when the spelling is unknown
	 */
	static <E extends Enum<E> & WireValue> Optional<E> lookup(Class<E> type, String wire) {
		for (E constant : type.getEnumConstants()) {
			if (constant.wire().equals(wire)) {
				return Optional.of(constant);
			}
		}
		return Optional.empty();
	}

	/**
	 * The accepted spellings of an enum, for messages such as
	 * {@code 'mistral' is not one of
	 * anthropic, openai, gemini}.
	 * @param type the enum class
	 * @return the spellings, comma separated
	 */
	static String spellings(Class<? extends WireValue> type) {
		return Arrays.stream(type.getEnumConstants()).map(WireValue::wire).collect(Collectors.joining(", "));
	}

}
