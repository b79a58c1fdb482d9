package io.tollgate.support.query;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.tollgate.contract.BucketWidth;

/**
 * Which bucket widths a report API offers, which one it uses when the client names none,
 * and, per width, the page sizes and the longest range. The sizes are the same in every
 * API (see {@link #limits(BucketWidth)}), so that a client can page through usage and
 * cost alike.
 *
 * @param defaultWidth the width when {@code bucket_width} is absent
 * @param offered the widths the API accepts, the default among them
 */
public record BucketRules(BucketWidth defaultWidth, Set<BucketWidth> offered) {

	public BucketRules {
		offered = Set.copyOf(offered);
		if (!offered.contains(defaultWidth)) {
			throw new IllegalArgumentException("The default width " + defaultWidth + " is not offered");
		}
	}

	/**
	 * Rules offering some widths.
	 * @param defaultWidth the width when {@code bucket_width} is absent
	 * @param offered the accepted widths, the default among them
	 * @return the rules
	 */
	public static BucketRules of(BucketWidth defaultWidth, BucketWidth... offered) {
		return new BucketRules(defaultWidth, EnumSet.copyOf(Arrays.asList(offered)));
	}

	/**
	 * The page sizes and longest range of a width. The longest range is also the largest
	 * page, so a query within range can always be read in one page; the ranges (a day of
	 * minutes, a 31-day month of hours, a leap year of days) are what a report of that
	 * width is for.
	 * @param width the width
	 * @return its limits
	 */
	public static Limits limits(BucketWidth width) {
		return switch (width) {
			case ONE_MINUTE -> new Limits(60, 1440, Duration.ofDays(1), "1 day");
			case ONE_HOUR -> new Limits(24, 744, Duration.ofDays(31), "31 days");
			case ONE_DAY -> new Limits(7, 366, Duration.ofDays(366), "366 days");
		};
	}

	/**
	 * The offered widths' spellings, in declaration order, for messages.
	 * @return e.g. {@code 1h, 1d}
	 */
	public String spellings() {
		return Arrays.stream(BucketWidth.values())
			.filter(this.offered::contains)
			.map(BucketWidth::wire)
			.collect(Collectors.joining(", "));
	}

	/**
	 * Page sizes and range of one bucket width.
	 *
	 * @param defaultLimit buckets in a page when {@code limit} is absent
	 * @param maxLimit the most buckets in a page
	 * @param maxRange the longest {@code ending_at - starting_at}
	 * @param maxRangeText the longest range, for messages
	 */
	public record Limits(int defaultLimit, int maxLimit, Duration maxRange, String maxRangeText) {

	}

}
