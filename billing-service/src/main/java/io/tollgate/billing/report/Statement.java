package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import io.tollgate.billing.catalog.TokenKind;
import io.tollgate.contract.SpendUpdate;

/**
 * {@code GET /v1/statements/{yyyy-mm}}: a tenant's spend over a calendar month in UTC,
 * one line per model, token kind and unit price (snake_case on the wire).
 *
 * <p>
 * Rounding: each line's exact amount is rounded half-even to the cent; the total is the
 * exact sum of the exact line amounts, rounded half-even to the cent once, so the rounded
 * total may differ by a few cents from the sum of the rounded lines, and is the figure
 * that is owed. Exact amounts are never rounded.
 *
 * @param tenantId the tenant
 * @param month the month, {@code yyyy-mm}
 * @param period how the month is delimited: always {@value #PERIOD}
 * @param periodStart start of the month (midnight UTC on its first day)
 * @param periodEnd end of the month (exclusive)
 * @param currency always {@code USD}
 * @param rounding the rounding rule, {@value #ROUNDING}
 * @param lines the lines, by model, then token kind, then unit price; lines whose
 * quantity and amount are both zero (corrected away) are left out
 * @param totalQuantity tokens of every line
 * @param totalAmount the exact sum of the line amounts
 * @param totalAmountRounded {@code totalAmount} rounded half-even to the cent
 * @param unpricedAmount the exact sum of the unpriced lines' amounts (already in the
 * total)
 * @param complete whether the month had ended when the statement was read (late usage can
 * still be added to an ended month's statement)
 * @param asOf when the statement was read
 */
record Statement(String tenantId, String month, String period, Instant periodStart, Instant periodEnd, String currency,
		String rounding, List<Line> lines, long totalQuantity, String totalAmount, String totalAmountRounded,
		String unpricedAmount, boolean complete, Instant asOf) {

	static final String PERIOD = "calendar month, UTC";

	static final String ROUNDING = "half-even to the cent, applied to each line and to the exact total";

	/** Models by name, then token kinds in their declared order, then unit prices. */
	private static final Comparator<StatementRow> ORDER = Comparator.comparing(StatementRow::model)
		.thenComparingInt((row) -> TokenKind.fromWire(row.tokenKind()).map(Enum::ordinal).orElse(Integer.MAX_VALUE))
		.thenComparing(StatementRow::tokenKind)
		.thenComparing(StatementRow::usdPerMtok)
		.thenComparing(StatementRow::unpriced);

	Statement {
		lines = List.copyOf(lines);
	}

	/**
	 * Builds a statement from a month's rows.
	 * @param tenantId the tenant
	 * @param month the month
	 * @param rows the month's rows, in any order
	 * @param asOf when they were read
	 * @return the statement
	 */
	static Statement of(String tenantId, StatementMonth month, List<StatementRow> rows, Instant asOf) {
		List<StatementRow> kept = rows.stream()
			.filter((row) -> row.quantity() != 0 || row.amount().signum() != 0)
			.sorted(ORDER)
			.toList();
		long quantity = 0;
		BigDecimal total = BigDecimal.ZERO;
		BigDecimal unpriced = BigDecimal.ZERO;
		for (StatementRow row : kept) {
			quantity = Math.addExact(quantity, row.quantity());
			total = total.add(row.amount());
			if (row.unpriced()) {
				unpriced = unpriced.add(row.amount());
			}
		}
		List<Line> lines = kept.stream().map(Line::of).toList();
		return new Statement(tenantId, month.text(), PERIOD, month.start(), month.end(), SpendUpdate.USD, ROUNDING,
				lines, quantity, Money.exact(total), Money.toCents(total).toPlainString(), Money.exact(unpriced),
				!asOf.isBefore(month.end()), asOf);
	}

	/**
	 * Whether any line was priced by the fallback rule.
	 * @return {@code true} when a line is unpriced
	 */
	boolean hasUnpriced() {
		return this.lines.stream().anyMatch(Line::unpriced);
	}

	/**
	 * One line: a model's tokens of one kind at one unit price.
	 *
	 * @param model the catalog model, or the reported one when unpriced
	 * @param tokenKind the token kind, e.g. {@code cache_write_5m}
	 * @param usdPerMtok the unit price, USD per million tokens
	 * @param quantity tokens
	 * @param amount the exact amount, {@code quantity x usdPerMtok / 1,000,000}
	 * @param amountRounded {@code amount} rounded half-even to the cent
	 * @param unpriced whether the model had no price of its own and was priced by the
	 * fallback rule
	 */
	record Line(String model, String tokenKind, String usdPerMtok, long quantity, String amount, String amountRounded,
			boolean unpriced) {

		static Line of(StatementRow row) {
			return new Line(row.model(), row.tokenKind(), Money.exact(row.usdPerMtok()), row.quantity(),
					Money.exact(row.amount()), Money.toCents(row.amount()).toPlainString(), row.unpriced());
		}

	}

}
