package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the reports write money: as strings holding plain decimals, so that no client reads
 * an amount as a double.
 */
final class Money {

	/** Cents: the scale of every rounded amount. */
	static final int CENTS = 2;

	/** The rule of every rounded amount, written into statements. */
	static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

	private Money() {
	}

	/**
	 * An exact amount or unit price, never rounded: trailing zeros dropped but at least
	 * two decimals, as the price API writes prices ({@code "3.00"}, {@code "7.275"},
	 * {@code "0.0000003"}).
	 * @param amount the amount
	 * @return its plain decimal text
	 */
	static String exact(BigDecimal amount) {
		BigDecimal stripped = amount.stripTrailingZeros();
		return ((stripped.scale() < CENTS) ? stripped.setScale(CENTS) : stripped).toPlainString();
	}

	/**
	 * An amount rounded half-even to the cent (banker's rounding: a half cent goes to the
	 * even cent, so that rounding many lines is not biased upwards).
	 * @param amount the exact amount
	 * @return the rounded amount, always with two decimals
	 */
	static BigDecimal toCents(BigDecimal amount) {
		return amount.setScale(CENTS, ROUNDING);
	}

}
