package io.tollgate.billing.catalog;

import java.util.Locale;

/**
 * How reported model names relate to catalog model names.
 *
 * <p>
 * A reported name is normalised to lower case, without Gemini's {@code models/} prefix
 * and without a Vertex-style {@code @version} suffix. It then matches a catalog name that
 * equals it, or that it extends with {@code -} and a snapshot suffix
 * ({@code claude-sonnet-4-5-20250929}, {@code gpt-4o-mini-2024-07-18},
 * {@code gemini-2.5-flash-preview-05-20}). A suffix that starts with a number of one or
 * two digits is a newer model version or another variant, not a snapshot:
 * {@code claude-opus-4-6} must not be priced as {@code claude-opus-4}, so it matches
 * nothing and is flagged unpriced until the catalog has it.
 */
final class ModelNames {

	/** What a catalog model name may look like: the normalised form, nothing else. */
	static final String CATALOG_NAME = "[a-z0-9][a-z0-9._:-]{0,99}";

	private static final String GEMINI_PREFIX = "models/";

	private ModelNames() {
	}

	/**
	 * The reported name in the form catalog names are compared with.
	 * @param reported the model as reported
	 * @return lower case, without {@code models/} and {@code @...}
	 */
	static String normalise(String reported) {
		String model = reported.strip().toLowerCase(Locale.ROOT);
		if (model.startsWith(GEMINI_PREFIX)) {
			model = model.substring(GEMINI_PREFIX.length());
		}
		int at = model.indexOf('@');
		return (at >= 0) ? model.substring(0, at) : model;
	}

	/**
	 * Whether a normalised reported name is a catalog model or a snapshot of it.
	 * @param normalised the reported name, {@link #normalise normalised}
	 * @param catalogName the catalog model
	 * @return whether it matches
	 */
	static boolean matches(String normalised, String catalogName) {
		int length = catalogName.length();
		if (!normalised.startsWith(catalogName)) {
			return false;
		}
		if (normalised.length() == length) {
			return true;
		}
		return normalised.charAt(length) == '-' && !startsWithVersionNumber(normalised, length + 1);
	}

	/**
	 * Whether the suffix starts with a one- or two-digit number: a version or variant
	 * ({@code -6}, {@code -32k}, {@code -8b}), where a snapshot date has four digits or
	 * more, or starts with a word ({@code -preview-05-20}, {@code -latest}). A lone
	 * {@code -0} is the same version ({@code claude-sonnet-4-0} is Claude Sonnet 4).
	 */
	private static boolean startsWithVersionNumber(String name, int from) {
		int index = from;
		while (index < name.length() && Character.isDigit(name.charAt(index))) {
			index++;
		}
		int digits = index - from;
		boolean segmentEnds = index == name.length() || name.charAt(index) == '-';
		boolean zero = digits == 1 && name.charAt(from) == '0' && segmentEnds;
		return digits >= 1 && digits <= 2 && !zero;
	}

}
