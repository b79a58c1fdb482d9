package io.tollgate.billing.budget;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.tollgate.contract.SpendUpdate;
import io.tollgate.support.web.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * A budget as set through the API, checked: {@link #parse} refuses the first thing wrong
 * with the field it concerns.
 *
 * @param capUsd the cap, positive, at most six decimals
 * @param period the calendar: month, week or day (tenant budgets only)
 * @param timeZone the IANA zone of the calendar (tenant budgets only)
 * @param alertThresholds percentages of the cap, increasing
 * @param pauseAtCap whether reaching the cap pauses access
 */
record BudgetChange(BigDecimal capUsd, String period, String timeZone, List<Integer> alertThresholds,
		boolean pauseAtCap) {

	static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);

	static final String DEFAULT_PERIOD = "month";

	static final String DEFAULT_ZONE = "UTC";

	static final Set<String> PERIODS = Set.of("month", "week", "day");

	private static final Set<String> TENANT_FIELDS = Set.of("cap_usd", "period", "time_zone", "alert_thresholds",
			"pause_at_cap");

	private static final Set<String> KEY_FIELDS = Set.of("cap_usd", "alert_thresholds", "pause_at_cap");

	private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,11})(\\.[0-9]{1,6})?");

	/**
	 * Reads a budget body.
	 * @param body the JSON body
	 * @param forKey whether the budget is a key's (which has no calendar of its own)
	 * @return the change
	 * @throws ApiException a 400 naming the first field that is wrong
	 */
	static BudgetChange parse(JsonNode body, boolean forKey) {
		if (!body.isObject()) {
			throw ApiException.invalidParameter("body", "the body must be a JSON object");
		}
		Set<String> fields = forKey ? KEY_FIELDS : TENANT_FIELDS;
		for (String name : body.propertyNames()) {
			if (!fields.contains(name)) {
				String hint = (forKey && TENANT_FIELDS.contains(name))
						? "; a key's budget follows its tenant's period and time zone" : "";
				throw ApiException.invalidParameter(name, "unknown field " + name + " (known: "
						+ String.join(", ", fields.stream().sorted().toList()) + ")" + hint);
			}
		}
		return new BudgetChange(cap(body.get("cap_usd")), period(body.get("period")), zone(body.get("time_zone")),
				thresholds(body.get("alert_thresholds")), pauseAtCap(body.get("pause_at_cap")));
	}

	private static BigDecimal cap(JsonNode value) {
		if (value == null || value.isNull()) {
			throw ApiException.invalidParameter("cap_usd", "cap_usd is required: the cap per period in USD");
		}
		if (!value.isString() || !DECIMAL.matcher(value.stringValue()).matches()) {
			throw ApiException.invalidParameter("cap_usd", "cap_usd must be a decimal in a string such as \"500.00\" "
					+ "(at most 12 digits before the point and 6 after; money is never a JSON number)");
		}
		BigDecimal cap = new BigDecimal(value.stringValue());
		if (cap.signum() <= 0) {
			throw ApiException.invalidParameter("cap_usd", "cap_usd must be greater than zero");
		}
		return cap;
	}

	private static String period(JsonNode value) {
		if (value == null || value.isNull()) {
			return DEFAULT_PERIOD;
		}
		if (!value.isString() || !PERIODS.contains(value.stringValue())) {
			throw ApiException.invalidParameter("period", "period must be one of day, month, week");
		}
		return value.stringValue();
	}

	private static String zone(JsonNode value) {
		if (value == null || value.isNull()) {
			return DEFAULT_ZONE;
		}
		String text = value.isString() ? value.stringValue() : "";
		try {
			ZoneId zone = ZoneId.of(text);
			// Fixed offsets other than UTC are refused: a region's name follows its
			// daylight saving time, an offset does not.
			if (zone instanceof ZoneOffset && !zone.equals(ZoneOffset.UTC)) {
				throw new DateTimeException("offset");
			}
			return zone.getId().equals("Z") ? DEFAULT_ZONE : zone.getId();
		}
		catch (DateTimeException ex) {
			throw ApiException.invalidParameter("time_zone",
					"time_zone must be an IANA time zone such as " + "Europe/Berlin or UTC, was " + value);
		}
	}

	private static List<Integer> thresholds(JsonNode value) {
		if (value == null || value.isNull()) {
			return DEFAULT_THRESHOLDS;
		}
		if (!value.isArray() || value.size() > SpendUpdate.MAX_ALERT_THRESHOLDS) {
			throw ApiException.invalidParameter("alert_thresholds", "alert_thresholds must be an array of at most "
					+ SpendUpdate.MAX_ALERT_THRESHOLDS + " percentages, increasing, such as [50, 80, 100]");
		}
		List<Integer> thresholds = new ArrayList<>();
		int previous = 0;
		for (JsonNode element : value) {
			if (!element.isIntegralNumber() || !element.canConvertToInt() || element.intValue() < 1
					|| element.intValue() > SpendUpdate.MAX_ALERT_THRESHOLD_PERCENT || element.intValue() <= previous) {
				throw ApiException.invalidParameter("alert_thresholds",
						"alert_thresholds must be whole percentages from 1 to "
								+ SpendUpdate.MAX_ALERT_THRESHOLD_PERCENT + ", increasing, such as [50, 80, 100]; "
								+ element + " is not");
			}
			previous = element.intValue();
			thresholds.add(previous);
		}
		return List.copyOf(thresholds);
	}

	private static boolean pauseAtCap(JsonNode value) {
		if (value == null || value.isNull()) {
			return false;
		}
		if (!value.isBoolean()) {
			throw ApiException.invalidParameter("pause_at_cap", "pause_at_cap must be true or false");
		}
		return value.booleanValue();
	}

}
