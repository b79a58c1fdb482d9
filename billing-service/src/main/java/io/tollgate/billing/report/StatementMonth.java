package io.tollgate.billing.report;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.support.web.ApiException;

/**
 * The month of a statement: a calendar month in UTC, written {@code yyyy-mm}. Statements
 * are always UTC calendar months, whatever period a tenant's budget uses, so that every
 * tenant's statements tile the same timeline and add up to the ledger.
 *
 * @param month the month
 */
record StatementMonth(YearMonth month) {

	/** The path variable, named in errors. */
	static final String PARAM = "month";

	private static final Pattern FORM = Pattern.compile("(\\d{4})-(\\d{2})");

	// Spend is recorded from the epoch on; four-digit years only, as the form says.
	private static final int FIRST_YEAR = 1970;

	/**
	 * Reads a month.
	 * @param text the path segment, e.g. {@code 2026-11}
	 * @return the month
	 * @throws ApiException a 400 {@code invalid_parameter} naming {@value #PARAM} when
	 * the text is not a month from 1970-01 to 9999-12 in that form
	 */
	static StatementMonth parse(String text) {
		Matcher matcher = FORM.matcher(text);
		if (!matcher.matches()) {
			throw invalid(text);
		}
		int year = Integer.parseInt(matcher.group(1));
		int month = Integer.parseInt(matcher.group(2));
		if (year < FIRST_YEAR || month < 1 || month > 12) {
			throw invalid(text);
		}
		return new StatementMonth(YearMonth.of(year, month));
	}

	/** Start of the month, midnight UTC on its first day. */
	Instant start() {
		return this.month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/** End of the month (exclusive), midnight UTC on the next month's first day. */
	Instant end() {
		return this.month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/** The month as written in the path, e.g. {@code 2026-11}. */
	String text() {
		return "%04d-%02d".formatted(this.month.getYear(), this.month.getMonthValue());
	}

	private static ApiException invalid(String text) {
		return ApiException.invalidParameter(PARAM, "month '" + text + "' is not a calendar month written yyyy-mm "
				+ "(e.g. 2026-11), from " + FIRST_YEAR + "-01 to 9999-12");
	}

}
