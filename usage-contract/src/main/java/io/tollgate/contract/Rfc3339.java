package io.tollgate.contract;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Parses RFC 3339 date-times (section 5.6: seconds and offset required, optional fraction
 * of up to nine digits), which is what JSON Schema's {@code date-time} means.
 *
 * <p>
 * Hand-written because every consumed event carries two of them: a regular expression
 * plus {@code DateTimeFormatter} took a quarter of metering's decoding time. The
 * algorithm checks the fixed layout character by character, checks each field's range
 * (the day against its month, leap years included; no leap seconds, as java.time), and
 * computes the instant from the epoch day.
 */
final class Rfc3339 {

	private static final int[] DAYS_IN_MONTH = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	private static final int[] POWERS_OF_TEN = { 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
			1_000_000_000 };

	private Rfc3339() {
	}

	/**
	 * Parses a date-time.
	 * @param text e.g. {@code 2026-11-23T10:15:30.123Z} or
	 * {@code 2026-11-23t11:15:30+01:00}
	 * @return the instant, or {@code null} when the text is not an RFC 3339 date-time
	 */
	static @Nullable Instant parse(String text) {
		int length = text.length();
		if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return null;
		}
		char separator = text.charAt(10);
		if (separator != 'T' && separator != 't') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
				|| minute < 0 || minute > 59 || second < 0 || second > 59) {
			return null;
		}
		int index = 19;
		int nanos = 0;
		if (text.charAt(index) == '.') {
			int start = ++index;
			while (index < length && isDigit(text.charAt(index))) {
				index++;
			}
			int fraction = index - start;
			if (fraction == 0 || fraction > 9) {
				return null;
			}
			nanos = digits(text, start, fraction) * POWERS_OF_TEN[9 - fraction];
		}
		if (index >= length) {
			return null;
		}
		char zone = text.charAt(index);
		int offsetSeconds;
		if (zone == 'Z' || zone == 'z') {
			if (index + 1 != length) {
				return null;
			}
			offsetSeconds = 0;
		}
		else if (zone == '+' || zone == '-') {
			if (index + 6 != length || text.charAt(index + 3) != ':') {
				return null;
			}
			int offsetHours = digits(text, index + 1, 2);
			int offsetMinutes = digits(text, index + 4, 2);
			if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 18 || offsetMinutes > 59
					|| (offsetHours == 18 && offsetMinutes > 0)) {
				return null;
			}
			offsetSeconds = ((zone == '-') ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
		}
		else {
			return null;
		}
		long epochDay = epochDay(year, month, day);
		return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds, nanos);
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	/** The number in {@code count} decimal digits at {@code start}, or -1. */
	private static int digits(String text, int start, int count) {
		int value = 0;
		for (int i = start; i < start + count; i++) {
			char c = text.charAt(i);
			if (!isDigit(c)) {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean isLeap(int year) {
		return (year % 4 == 0) && (year % 100 != 0 || year % 400 == 0);
	}

	private static int daysIn(int year, int month) {
		return (month == 2 && isLeap(year)) ? 29 : DAYS_IN_MONTH[month - 1];
	}

	/**
	 * Days since 1970-01-01 in the proleptic Gregorian calendar (as {@code LocalDate}).
	 */
	private static long epochDay(int year, int month, int day) {
		long y = year;
		long total = 365 * y;
		total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
		total += (367 * month - 362) / 12;
		total += day - 1;
		if (month > 2) {
			total--;
			if (!isLeap(year)) {
				total--;
			}
		}
		return total - 719_528;
	}

}
