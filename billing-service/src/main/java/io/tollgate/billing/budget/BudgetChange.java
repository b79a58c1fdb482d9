package io.tollgate.billing.budget;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.billing.config.RequestBodies;
import io.tollgate.contract.SpendUpdate;
import io.tollgate.support.web.ApiException;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.groups.Default;
import org.jspecify.annotations.Nullable;

/**
 * A budget as set through the API: {@link #parse} refuses the first thing wrong with the
 * field it concerns, and fills in the defaults of what the body leaves out.
 *
 * @param cap the cap ({@code cap_usd}): a decimal in a string, positive, at most six
 * decimals
 * @param period the calendar: month, week or day (tenant budgets only)
 * @param timeZone the IANA zone of the calendar (tenant budgets only)
 * @param alertThresholds percentages of the cap, increasing
 * @param pauseAtCap whether reaching the cap pauses access
 */
record BudgetChange(
		@JsonProperty("cap_usd") @NotNull(message = "is required: the cap per period in USD") @Pattern(
				regexp = "(0|[1-9][0-9]{0,11})(\\.[0-9]{1,6})?",
				message = "must be a decimal in a string such as \"500.00\" (at most 12 digits before the point "
						+ "and 6 after; money is never a JSON number)") @DecimalMin(value = "0", inclusive = false,
								message = "must be greater than zero") String cap,
		@Pattern(regexp = "month|week|day", message = "must be one of day, month, week") @Null(groups = ForKey.class,
				message = FOLLOWS_TENANT) @Nullable String period,
		@JsonProperty("time_zone") @Null(groups = ForKey.class, message = FOLLOWS_TENANT) @Nullable String timeZone,
		@JsonProperty("alert_thresholds") @Size(max = SpendUpdate.MAX_ALERT_THRESHOLDS,
				message = "must be an array of at most {max} percentages, increasing, such as [50, 80, 100]") @Nullable List<@Nullable Integer> alertThresholds,
		@JsonProperty("pause_at_cap") boolean pauseAtCap) {

	static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);

	static final String DEFAULT_PERIOD = "month";

	static final String DEFAULT_ZONE = "UTC";

	private static final String FOLLOWS_TENANT = "must not be given: a key's budget follows its tenant's period and "
			+ "time zone";

	/**
	 * Reads a body, refused with 400 {@code invalid_parameter}, with the defaults of what
	 * it leaves out; a key's budget ({@code forKey}) has no calendar of its own.
	 */
	static BudgetChange parse(String json, boolean forKey) {
		BudgetChange body = forKey ? RequestBodies.body(json, BudgetChange.class, Default.class, ForKey.class)
				: RequestBodies.body(json, BudgetChange.class);
		return new BudgetChange(body.cap(), Objects.requireNonNullElse(body.period(), DEFAULT_PERIOD),
				zone(body.timeZone()), thresholds(body.alertThresholds()), body.pauseAtCap());
	}

	/** The cap per period in USD. */
	BigDecimal capUsd() {
		return new BigDecimal(this.cap);
	}

	private static String zone(@Nullable String zone) {
		if (zone == null) {
			return DEFAULT_ZONE;
		}
		try {
			ZoneId id = ZoneId.of(zone);
			// Fixed offsets other than UTC are refused: a region's name follows its
			// daylight saving time, an offset does not.
			if (id instanceof ZoneOffset && !id.equals(ZoneOffset.UTC)) {
				throw new DateTimeException("offset");
			}
			return id.getId().equals("Z") ? DEFAULT_ZONE : id.getId();
		}
		catch (DateTimeException ex) {
			throw ApiException.invalidParameter("time_zone",
					"time_zone must be an IANA time zone such as Europe/Berlin or UTC, was " + zone);
		}
	}

	/** Whole percentages, increasing: a rule across the elements. */
	private static List<Integer> thresholds(@Nullable List<@Nullable Integer> thresholds) {
		if (thresholds == null) {
			return DEFAULT_THRESHOLDS;
		}
		int previous = 0;
		for (Integer threshold : thresholds) {
			if (threshold == null || threshold <= previous || threshold > SpendUpdate.MAX_ALERT_THRESHOLD_PERCENT) {
				throw ApiException.invalidParameter("alert_thresholds",
						"alert_thresholds must be whole percentages from 1 to "
								+ SpendUpdate.MAX_ALERT_THRESHOLD_PERCENT + ", increasing, such as [50, 80, 100]; "
								+ threshold + " is not");
			}
			previous = threshold;
		}
		return List.copyOf(thresholds);
	}

	/** The constraints of a key's budget besides the default ones. */
	interface ForKey {

	}

}
