package io.tollgate.billing.spend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpendFiguresTests {

	private static final Instant NOW = Instant.parse("2026-06-20T12:00:00Z");

	private static final Instant PERIOD_END = Instant.parse("2026-07-01T00:00:00Z");

	@Test
	void forecastAddsTheRecentRateOverTheTimeLeft() {
		// $24 in the last 24 hours is $1/hour; 10.5 days (252 hours) left adds $252.
		SpendFigures figures = figures("100", "24", NOW.minus(Duration.ofHours(24)), null);
		assertThat(figures.forecast()).isEqualByComparingTo("352");
	}

	@Test
	void forecastIsTheSpendWhenNothingWasSeenRecentlyOrTheWindowIsEmpty() {
		assertThat(figures("12.5", "0", NOW.minus(Duration.ofHours(24)), null).forecast()).isEqualByComparingTo("12.5");
		assertThat(figures("12.5", "3", NOW, null).forecast()).isEqualByComparingTo("12.5");
	}

	@Test
	void forecastIsExactToSixDecimalsWhateverTheRate() {
		// $1 over 3 hours, 252 hours left: 1 + 84 = 85, no binary fraction on the way.
		SpendFigures figures = figures("1", "1", NOW.minus(Duration.ofHours(3)), null);
		assertThat(figures.forecast()).isEqualByComparingTo("85");
		assertThat(figures("0", "0.000001", NOW.minus(Duration.ofHours(7)), null).forecast().scale())
			.isLessThanOrEqualTo(6);
	}

	@Test
	void remainingAndPercentUsedNeedACap() {
		SpendFigures none = figures("40", "0", NOW, null);
		assertThat(none.remaining()).isNull();
		assertThat(none.percentUsed()).isNull();
		assertThat(none.paused()).isFalse();

		SpendFigures capped = figures("40", "0", NOW, "120");
		assertThat(capped.remaining()).isEqualByComparingTo("80");
		assertThat(capped.percentUsed()).isEqualByComparingTo("33.33");
	}

	@Test
	void remainingNeverGoesBelowZeroAndPercentGoesPastAHundred() {
		SpendFigures over = figures("150.005", "0", NOW, "100");
		assertThat(over.remaining()).isEqualByComparingTo("0");
		assertThat(over.percentUsed()).isEqualByComparingTo("150.00");
	}

	@Test
	void pausesOnlyWhenTheBudgetSaysSoAndTheCapIsReached() {
		assertThat(figures("100", "0", NOW, "100", true).paused()).isTrue();
		assertThat(figures("99.999999", "0", NOW, "100", true).paused()).isFalse();
		assertThat(figures("100", "0", NOW, "100", false).paused()).isFalse();
	}

	private static SpendFigures figures(String spend, String recent, Instant recentFrom, @Nullable String cap) {
		return figures(spend, recent, recentFrom, cap, false);
	}

	private static SpendFigures figures(String spend, String recent, Instant recentFrom, @Nullable String cap,
			boolean pauseAtCap) {
		return new SpendFigures("tenant-a", "", Instant.parse("2026-06-01T00:00:00Z"), PERIOD_END,
				new BigDecimal(spend), new BigDecimal(recent), recentFrom, (cap != null) ? new BigDecimal(cap) : null,
				List.of(50, 80, 100), pauseAtCap, NOW);
	}

}
