package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.tollgate.billing.catalog.PriceCorrection;
import io.tollgate.billing.catalog.TokenKind;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdjustmentsTests {

	private static final Instant QUARTER = Instant.parse("2025-10-06T10:15:00Z");

	@Test
	void reversesEachGroupAtItsPriceAndRepricesItAtTheCorrectedOne() {
		PriceCorrection correction = correction(41, "2.40");
		Adjustments adjustments = Adjustments.of(correction,
				List.of(group("t1", "key-1", "claude-sonnet-4-5", false, "3", 1_250_000, 2),
						group("t1", "key-2", "claude-sonnet-4-5-20250929", false, "3", 333_333, 1),
						group("t2", "key-1", "claude-mystery", true, "15", 1_000, 3)));
		assertThat(adjustments.lines()).extracting(AdjustmentsTests::describe)
			.containsExactly(
					// 1,250,000 x 3 / 1e6 = 3.75; x 2.40 = 3.00
					"t1|key-1|claude-sonnet-4-5|false|-1250000|3|-3.75",
					"t1|key-1|claude-sonnet-4-5|false|1250000|2.40|3",
					// 333,333 x 3 / 1e6 = 0.999999; x 2.40 = 0.7999992
					"t1|key-2|claude-sonnet-4-5-20250929|false|-333333|3|-0.999999",
					"t1|key-2|claude-sonnet-4-5-20250929|false|333333|2.40|0.7999992",
					// unpriced, priced as the corrected model: 1,000 x 15 / 1e6 = 0.015;
					// x 2.40
					// = 0.0024
					"t2|key-1|claude-mystery|true|-1000|15|-0.015", "t2|key-1|claude-mystery|true|1000|2.40|0.0024");
		assertThat(adjustments.lines()).allSatisfy((line) -> {
			assertThat(line.entryType()).isEqualTo("adjustment");
			assertThat(line.deltaId()).isNull();
			assertThat(line.priceId()).isNull();
			assertThat(line.correctionId()).isEqualTo(41L);
			assertThat(line.provider()).isEqualTo("anthropic");
			assertThat(line.pricedModel()).isEqualTo("claude-sonnet-4-5");
			assertThat(line.serviceTier()).isEqualTo("standard");
			assertThat(line.contextTier()).isEqualTo("standard");
			assertThat(line.tokenKind()).isEqualTo("input");
			assertThat(line.usageAt()).isEqualTo(QUARTER);
		});
		// Unpriced lines keep reporting spend under the reported model.
		assertThat(adjustments.lines().get(5).spendModel()).isEqualTo("claude-mystery");
		// (3.00 - 3.75) + (0.7999992 - 0.999999) + (0.0024 - 0.015) = -0.75 - 0.1999998 -
		// 0.0126 = -0.9625998
		assertThat(adjustments.summary()).isEqualTo(new Adjustments.Summary(6, 6, 2, new BigDecimal("-0.9625998")));
		assertThat(adjustments.tenants()).containsExactlyInAnyOrder("t1", "t2");
	}

	@Test
	void leavesGroupsAlreadyAtTheCorrectedPriceOrNettedToZero() {
		Adjustments adjustments = Adjustments.of(correction(42, "2.40"),
				List.of(group("t1", "key-1", "claude-sonnet-4-5", false, "2.4000", 1_000, 1),
						group("t1", "key-1", "claude-sonnet-4-5", false, "3", 0, 2)));
		assertThat(adjustments.lines()).isEmpty();
		assertThat(adjustments.tenants()).isEmpty();
		assertThat(adjustments.summary()).isEqualTo(new Adjustments.Summary(0, 0, 0, BigDecimal.ZERO));
	}

	@Test
	void aSecondCorrectionMovesWhatTheFirstRepriced() {
		// Usage: 1,000,000 at $3 = 3.00. First correction to $2: -3.00 + 2.00.
		Adjustments first = Adjustments.of(correction(1, "2"),
				List.of(group("t1", "key-1", "claude-sonnet-4-5", false, "3", 1_000_000, 1)));
		assertThat(first.summary().netAmount()).isEqualByComparingTo("-1");
		// The ledger then nets to 0 at $3 (left out by the read) and 1,000,000 at $2.
		// Second correction to $2.50: -2.00 + 2.50.
		Adjustments second = Adjustments.of(correction(2, "2.50"),
				List.of(group("t1", "key-1", "claude-sonnet-4-5", false, "2", 1_000_000, 1)));
		assertThat(second.lines()).extracting(AdjustmentsTests::describe)
			.containsExactly("t1|key-1|claude-sonnet-4-5|false|-1000000|2|-2",
					"t1|key-1|claude-sonnet-4-5|false|1000000|2.50|2.5");
		assertThat(second.summary().netAmount()).isEqualByComparingTo("0.5");
		// 3.00 - 1.00 + 0.50 = 2.50 = 1,000,000 x 2.50 / 1e6
	}

	private static String describe(LedgerLine line) {
		return String.join("|", line.tenantId(), line.apiKeyId(), line.model(), String.valueOf(line.unpriced()),
				String.valueOf(line.quantity()), line.usdPerMtok().toPlainString(), line.amount().toPlainString());
	}

	private static PriceCorrection correction(long id, String price) {
		return new PriceCorrection(id, Provider.ANTHROPIC, "claude-sonnet-4-5", ServiceTier.STANDARD,
				ContextTier.STANDARD, TokenKind.INPUT, new BigDecimal(price), Instant.parse("2025-10-06T10:00:00Z"),
				Instant.parse("2025-10-06T12:00:00Z"));
	}

	private static Adjustments.Group group(String tenant, String key, String model, boolean unpriced, String price,
			long quantity, long entries) {
		return new Adjustments.Group(tenant, key, model, unpriced, QUARTER, new BigDecimal(price), quantity, entries);
	}

}
