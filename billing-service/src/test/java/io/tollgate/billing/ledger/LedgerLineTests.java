package io.tollgate.billing.ledger;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerLineTests {

	@Test
	void amountIsExactQuantityTimesPricePerMillion() {
		// 1,234,567 tokens at $3.75 per million = $4.62962625 exactly.
		assertThat(LedgerLine.amount(1_234_567, new BigDecimal("3.75"))).isEqualByComparingTo("4.62962625");
		// One token at $0.075 per million: far below a cent, kept exactly.
		assertThat(LedgerLine.amount(1, new BigDecimal("0.075"))).isEqualByComparingTo("0.000000075");
	}

	@Test
	void amountNeverUsesBinaryFloatingPoint() {
		// 0.1 + 0.2 style errors would show here: 3 tokens at $0.10 per million.
		assertThat(LedgerLine.amount(3, new BigDecimal("0.10")).toPlainString()).isEqualTo("0.0000003");
	}

	@Test
	void zeroQuantityCostsNothing() {
		assertThat(LedgerLine.amount(0, new BigDecimal("15"))).isEqualByComparingTo(BigDecimal.ZERO);
	}

}
