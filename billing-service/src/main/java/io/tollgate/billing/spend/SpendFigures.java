package io.tollgate.billing.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A tenant's (or one key's) spend in its current budget period, with its budget, as
 * {@link SpendStore#current} reads it. Both {@code GET /v1/spend/current} and the spend
 * updates published to Kafka are made from these figures.
 *
 * @param tenantId the tenant
 * @param apiKeyId the key, or empty for the whole tenant
 * @param periodStart the first instant of the budget period
 * @param periodEnd the first instant after it
 * @param spendToDate spend in the period so far, exact
 * @param recentSpend spend from {@code recentFrom} on, for the forecast's rate
 * @param recentFrom where the recent window starts: 24 hours back (whole hours, as spend
 * is kept by the hour), or the period's start when that is later
 * @param cap the budget cap, when a budget is set
 * @param alertThresholds the budget's alert thresholds in percent; empty without a budget
 * @param pauseAtCap whether reaching the cap pauses access
 * @param asOf when the figures were read
 */
record SpendFigures(String tenantId, String apiKeyId, Instant periodStart, Instant periodEnd, BigDecimal spendToDate,
		BigDecimal recentSpend, Instant recentFrom, @Nullable BigDecimal cap, List<Integer> alertThresholds,
		boolean pauseAtCap, Instant asOf) {

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	/**
	 * Spend so far plus the recent rate over the rest of the period. The rate is the
	 * recent window's spend over its length, so a tenant that just got busy is projected
	 * from how it spends now, not from a quiet start of the period. Six decimals: a
	 * projection, not an amount anyone is billed.
	 */
	BigDecimal forecast() {
		Duration window = Duration.between(this.recentFrom, this.asOf);
		Duration left = Duration.between(this.asOf, this.periodEnd);
		if (window.isZero() || window.isNegative() || left.isNegative()) {
			return this.spendToDate;
		}
		BigDecimal perSecond = this.recentSpend.divide(BigDecimal.valueOf(window.toMillis()), 20,
				RoundingMode.HALF_EVEN);
		return this.spendToDate.add(perSecond.multiply(BigDecimal.valueOf(left.toMillis())))
			.setScale(6, RoundingMode.HALF_EVEN)
			.stripTrailingZeros();
	}

	/**
	 * Whether the budget pauses access now: it pauses at its cap and the cap is reached.
	 */
	boolean paused() {
		return this.pauseAtCap && this.cap != null && this.spendToDate.compareTo(this.cap) >= 0;
	}

	/** {@code cap - spendToDate}, never below zero; {@code null} without a budget. */
	@Nullable BigDecimal remaining() {
		return (this.cap != null) ? this.cap.subtract(this.spendToDate).max(BigDecimal.ZERO) : null;
	}

	/** Spend as a percentage of the cap, to two decimals, half-even. */
	@Nullable BigDecimal percentUsed() {
		return (this.cap != null) ? this.spendToDate.multiply(HUNDRED).divide(this.cap, 2, RoundingMode.HALF_EVEN)
				: null;
	}

}
