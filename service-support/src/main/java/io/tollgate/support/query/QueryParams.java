package io.tollgate.support.query;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tollgate.contract.WireValue;
import io.tollgate.support.web.ApiException;
import org.jspecify.annotations.Nullable;

/**
 * Reads query parameters the way every Tollgate report API does. Parameters are given as
 * the request's multi-valued map ({@code ServerHttpRequest#getQueryParams()}); names the
 * API does not know are ignored, never refused, so that a client written for a later
 * version keeps working.
 */
public final class QueryParams {

	private QueryParams() {
	}

	/**
	 * Reads the {@code limit} of a paged list: how many items a page holds.
	 * @param params the query parameters
	 * @param defaultLimit the limit when none is given
	 * @param maxLimit the highest accepted
	 * @return the limit
	 * @throws ApiException when it is not a whole number from 1 to {@code maxLimit}
	 */
	public static int limit(Map<String, List<String>> params, int defaultLimit, int maxLimit) {
		String value = single(params, "limit");
		if (value == null) {
			return defaultLimit;
		}
		try {
			int limit = Integer.parseInt(value);
			if (limit >= 1 && limit <= maxLimit) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw ApiException.invalidParameter("limit",
				"limit '" + value + "' is not a whole number from 1 to " + maxLimit);
	}

	/**
	 * Reads a parameter that may be given once. Blank counts as absent, so that a client
	 * filling a URL template with an empty value gets the default. Repeating it with the
	 * same value is harmless; with different values the request is ambiguous and refused.
	 * @param params the query parameters
	 * @param name the parameter
	 * @return its value, stripped, or {@code null} when absent or blank
	 * @throws ApiException when given more than once with different values
	 */
	public static @Nullable String single(Map<String, List<String>> params, String name) {
		List<String> values = params.get(name);
		if (values == null || values.isEmpty()) {
			return null;
		}
		String first = values.getFirst();
		for (String value : values) {
			if (!value.equals(first)) {
				throw ApiException.invalidParameter(name, name + " is given more than once with different values");
			}
		}
		return first.isBlank() ? null : first.strip();
	}

	/**
	 * Reads a parameter that may be given once, whose value is the wire spelling of an
	 * enum, such as {@code provider}; read as {@link #single}, then refused when it is
	 * not one of the enum's spellings (exact, case-sensitive).
	 * @param <E> the enum type
	 * @param params the query parameters
	 * @param name the parameter
	 * @param type the enum
	 * @return the value, or {@code null} when absent or blank
	 * @throws ApiException when given more than once with different values, or naming an
	 * unknown value
	 */
	public static <E extends Enum<E> & WireValue> @Nullable E wireValue(Map<String, List<String>> params, String name,
			Class<E> type) {
		String value = single(params, name);
		return (value != null) ? lookup(name, value, type) : null;
	}

	/**
	 * Reads a list parameter, repeated ({@code models=a&models=b}), comma separated
	 * ({@code models=a,b}) or in the bracket form ({@code models[]=a}), in any mix.
	 * @param params the query parameters
	 * @param name the parameter, without brackets
	 * @return the distinct non-blank items, stripped, in the order first given
	 */
	public static List<String> list(Map<String, List<String>> params, String name) {
		Set<String> items = new LinkedHashSet<>();
		for (String key : List.of(name, name + "[]")) {
			for (String value : params.getOrDefault(key, List.of())) {
				for (String item : value.split(",")) {
					if (!item.isBlank()) {
						items.add(item.strip());
					}
				}
			}
		}
		return List.copyOf(items);
	}

	/**
	 * Reads a list parameter whose items are the wire spellings of an enum, such as
	 * {@code group_by}. The enum is the whitelist: a value that is not one of its
	 * spellings (exact, case-sensitive) is refused.
	 * @param <E> the enum type
	 * @param params the query parameters
	 * @param name the parameter, without brackets
	 * @param type the enum
	 * @return the distinct values in declaration order (not request order, so that two
	 * requests naming the same values are the same query)
	 * @throws ApiException naming the first unknown value
	 */
	public static <E extends Enum<E> & WireValue> List<E> wireValues(Map<String, List<String>> params, String name,
			Class<E> type) {
		Set<E> values = EnumSet.noneOf(type);
		for (String item : list(params, name)) {
			values.add(lookup(name, item, type));
		}
		return List.copyOf(values);
	}

	private static <E extends Enum<E> & WireValue> E lookup(String name, String value, Class<E> type) {
		return WireValue.lookup(type, value)
			.orElseThrow(() -> ApiException.invalidParameter(name,
					name + " '" + value + "' is not one of " + WireValue.spellings(type)));
	}

}
