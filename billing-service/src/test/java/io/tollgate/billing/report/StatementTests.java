package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class StatementTests {

	private static final StatementMonth OCTOBER = StatementMonth.parse("2026-10");

	private static final Instant AS_OF = Instant.parse("2026-11-23T12:00:00Z");

	@Test
	void roundsEachLineHalfEvenToTheCent() {
		Statement statement = statement(row("m", "input", "1", false, 125_000, "0.125"),
				row("m", "output", "5", false, 27_000, "0.135"), row("m", "cache_read", "0.1", false, 150_000, "0.015"),
				row("m", "cache_write_5m", "1.25", false, 20_000, "0.025"));
		assertThat(statement.lines()).extracting(Statement.Line::tokenKind, Statement.Line::amountRounded)
			.containsExactly(tuple("input", "0.12"), tuple("output", "0.14"), tuple("cache_write_5m", "0.02"),
					tuple("cache_read", "0.02"));
	}

	@Test
	void roundsTheExactTotalNotTheSumOfRoundedLines() {
		// Three lines of 0.125: each rounds to 0.12 (0.36 together), the exact total
		// 0.375
		// rounds to 0.38.
		Statement statement = statement(row("a", "input", "1", false, 125_000, "0.125"),
				row("b", "input", "1", false, 125_000, "0.125"), row("c", "input", "1", false, 125_000, "0.125"));
		assertThat(statement.lines()).extracting(Statement.Line::amountRounded).containsOnly("0.12");
		assertThat(statement.totalAmount()).isEqualTo("0.375");
		assertThat(statement.totalAmountRounded()).isEqualTo("0.38");
		assertThat(statement.totalQuantity()).isEqualTo(375_000);
		assertThat(statement.rounding())
			.isEqualTo("half-even to the cent, applied to each line and to the exact total");
	}

	@Test
	void keepsExactAmountsAndPricesUnrounded() {
		Statement statement = statement(row("claude-sonnet-4-5", "cache_read", "0.30", false, 1, "0.0000003"),
				row("claude-sonnet-4-5", "input", "3.000", false, 1_234_567, "3.703701"));
		assertThat(statement.lines())
			.extracting(Statement.Line::usdPerMtok, Statement.Line::amount, Statement.Line::amountRounded)
			.containsExactly(tuple("3.00", "3.703701", "3.70"), tuple("0.30", "0.0000003", "0.00"));
		assertThat(statement.totalAmount()).isEqualTo("3.7037013");
		assertThat(statement.totalAmountRounded()).isEqualTo("3.70");
	}

	@Test
	void leavesOutLinesCorrectedAwayAndKeepsALinePerUnitPrice() {
		Statement statement = statement(row("claude-sonnet-4-5", "input", "3", false, 0, "0"),
				row("claude-sonnet-4-5", "input", "2.5", false, 1_000_000, "2.5"),
				row("claude-sonnet-4-5", "input", "1.5", false, 1_000_000, "1.5"),
				// A quantity netted to zero but not its amount is not corrected away.
				row("claude-sonnet-4-5", "output", "15", false, 0, "-0.01"));
		assertThat(statement.lines()).extracting(Statement.Line::tokenKind, Statement.Line::usdPerMtok)
			.containsExactly(tuple("input", "1.50"), tuple("input", "2.50"), tuple("output", "15.00"));
		assertThat(statement.totalAmount()).isEqualTo("3.99");
	}

	@Test
	void ordersByModelThenTokenKindThenPrice() {
		Statement statement = statement(row("b", "output", "15", false, 1, "0.000015"),
				row("b", "input", "3", false, 1, "0.000003"), row("a", "cache_read", "0.3", false, 1, "0.0000003"),
				row("b", "cache_write_1h", "6", false, 1, "0.000006"), row("a", "input", "3", false, 1, "0.000003"));
		assertThat(statement.lines()).extracting((line) -> line.model() + "/" + line.tokenKind())
			.containsExactly("a/input", "a/cache_read", "b/input", "b/output", "b/cache_write_1h");
	}

	@Test
	void totalsUnpricedSpendSeparatelyAndFlagsItsLines() {
		Statement statement = statement(row("mystery-model", "input", "15", true, 1_000, "0.015"),
				row("claude-sonnet-4-5", "input", "3", false, 1_000_000, "3"));
		assertThat(statement.lines()).extracting(Statement.Line::model, Statement.Line::unpriced)
			.containsExactly(tuple("claude-sonnet-4-5", false), tuple("mystery-model", true));
		assertThat(statement.unpricedAmount()).isEqualTo("0.015");
		assertThat(statement.totalAmount()).isEqualTo("3.015");
		assertThat(statement.totalAmountRounded()).isEqualTo("3.02");
		assertThat(statement.hasUnpriced()).isTrue();
	}

	@Test
	void describesItsPeriod() {
		Statement statement = statement();
		assertThat(statement.month()).isEqualTo("2026-10");
		assertThat(statement.period()).isEqualTo("calendar month, UTC");
		assertThat(statement.periodStart()).isEqualTo("2026-10-01T00:00:00Z");
		assertThat(statement.periodEnd()).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(statement.currency()).isEqualTo("USD");
		assertThat(statement.lines()).isEmpty();
		assertThat(statement.totalAmount()).isEqualTo("0.00");
		assertThat(statement.totalAmountRounded()).isEqualTo("0.00");
		assertThat(statement.unpricedAmount()).isEqualTo("0.00");
		assertThat(statement.complete()).isTrue();
		assertThat(Statement.of("t", StatementMonth.parse("2026-11"), List.of(), AS_OF).complete()).isFalse();
	}

	private static Statement statement(StatementRow... rows) {
		return Statement.of("tenant-a", OCTOBER, List.of(rows), AS_OF);
	}

	private static StatementRow row(String model, String kind, String price, boolean unpriced, long quantity,
			String amount) {
		return new StatementRow(model, kind, new BigDecimal(price), unpriced, quantity, new BigDecimal(amount));
	}

}
