package io.tollgate.alerting.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tollgate.alerting.alert.AlertType;
import io.tollgate.contract.SpendUpdate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetRulesTests {

	private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

	private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

	private static final BudgetRules.ForecastSettings FORECAST = new BudgetRules.ForecastSettings(10,
			new BigDecimal("1.00"), Duration.ofHours(6));

	@Test
	void firesEveryThresholdCrossedAndTheCap() {
		BudgetRules.Decision decision = BudgetRules.decide(update("100", "100", 3), Map.of(), FORECAST);

		assertThat(decision.fire()).containsOnlyKeys("threshold:50", "threshold:80", "threshold:100", "cap");
		assertThat(decision.fire().get("cap").type()).isEqualTo(AlertType.BUDGET_CAP_REACHED);
	}

	@Test
	void doesNotFireWhatAlreadyFiredThisPeriod() {
		BudgetRules.Decision decision = BudgetRules.decide(update("85", "85", 3),
				Map.of("threshold:50", fired(), "threshold:80", fired()), FORECAST);

		assertThat(decision.fire()).isEmpty();
		assertThat(decision.rearm()).isEmpty();
	}

	@Test
	void reArmsWhatSpendIsNoLongerOverAndWhatTheBudgetLost() {
		BudgetRules.Decision lower = BudgetRules.decide(update("60", "60", 3),
				Map.of("threshold:50", fired(), "threshold:80", fired(), "threshold:70", fired()), FORECAST);

		assertThat(lower.rearm()).containsExactlyInAnyOrder("threshold:80", "threshold:70");
	}

	@Test
	void reArmsEverythingWhenTheBudgetHasNoCap() {
		SpendUpdate u = update("60", "60", 3);
		SpendUpdate uncapped = new SpendUpdate(u.updateId(), u.tenantId(), null, START, END, "USD", u.spendToDate(),
				null, u.forecastPeriodEnd(), u.asOf(), false, List.of());

		assertThat(BudgetRules.decide(uncapped, Map.of("threshold:50", fired(), "cap", fired()), FORECAST).rearm())
			.containsExactlyInAnyOrder("threshold:50", "cap");
	}

	@Test
	void forecastsOnlyOnceThePeriodIsFarEnoughAlongAndEnoughWasSpent() {
		assertThat(BudgetRules.decide(update("5", "150", 2), Map.of(), FORECAST).fire()).isEmpty();
		assertThat(BudgetRules.decide(update("0.50", "150", 20), Map.of(), FORECAST).fire()).isEmpty();
		assertThat(BudgetRules.decide(update("30", "150", 20), Map.of(), FORECAST).fire()).containsOnlyKeys("forecast");
	}

	@Test
	void reArmsTheForecastOnlyAfterItStayedUnderTheCapForAWhile() {
		SpendUpdate under = update("30", "90", 20);
		BudgetRules.Decision first = BudgetRules.decide(under, Map.of("forecast", fired()), FORECAST);
		assertThat(first.forecastUnderSince()).isEqualTo(under.asOf());
		assertThat(first.rearm()).isEmpty();

		BudgetRules.State underSince = new BudgetRules.State(START, under.asOf());
		SpendUpdate soon = update("31", "90", 20, under.asOf().plus(Duration.ofHours(1)));
		assertThat(BudgetRules.decide(soon, Map.of("forecast", underSince), FORECAST).rearm()).isEmpty();
		SpendUpdate later = update("31", "90", 20, under.asOf().plus(Duration.ofHours(6)));
		assertThat(BudgetRules.decide(later, Map.of("forecast", underSince), FORECAST).rearm())
			.containsExactly("forecast");

		SpendUpdate overAgain = update("32", "150", 20, under.asOf().plus(Duration.ofHours(2)));
		BudgetRules.Decision again = BudgetRules.decide(overAgain, Map.of("forecast", underSince), FORECAST);
		assertThat(again.fire()).isEmpty();
		assertThat(again.forecastUnderSince()).isEqualTo(BudgetRules.Decision.CLEAR);
	}

	@Test
	void sharesOfThePeriodAreWholePercentsAndNeverDivideByZero() {
		assertThat(BudgetRules.elapsedPercent(update("1", "1", 3))).isEqualTo(10);
		SpendUpdate empty = new SpendUpdate("u", "t", null, START, START.plusMillis(1), "USD", BigDecimal.ONE,
				BigDecimal.TEN, BigDecimal.ONE, START, false, List.of());
		assertThat(BudgetRules.elapsedPercent(empty)).isZero();
	}

	@Test
	void pausesOncePerPeriodAndResumesWhenTheCapIsRaisedOrThePeriodEnds() {
		SpendUpdate over = update("100", "100", 3);
		SpendUpdate paused = new SpendUpdate(over.updateId(), over.tenantId(), null, START, END, "USD",
				over.spendToDate(), over.cap(), over.forecastPeriodEnd(), over.asOf(), true, over.alertThresholds());

		assertThat(BudgetRules.pause(paused, null)).isInstanceOf(BudgetRules.Pause.class);
		assertThat(BudgetRules.pause(paused, START)).isInstanceOf(BudgetRules.Keep.class);
		assertThat(BudgetRules.pause(over, START)).isInstanceOf(BudgetRules.Resume.class);
		assertThat(BudgetRules.pause(over, null)).isInstanceOf(BudgetRules.Keep.class);
		assertThat(BudgetRules.pause(over, START.minus(Duration.ofDays(30))))
			.isEqualTo(new BudgetRules.Resume("a new budget period began"));
	}

	private static BudgetRules.State fired() {
		return new BudgetRules.State(START, null);
	}

	private static SpendUpdate update(String spend, String forecast, int day) {
		return update(spend, forecast, day, START.plus(Duration.ofDays(day)));
	}

	private static SpendUpdate update(String spend, String forecast, int day, Instant asOf) {
		return new SpendUpdate("u-" + day, "tenant", null, START, END, "USD", new BigDecimal(spend),
				new BigDecimal("100"), new BigDecimal(forecast), asOf, false, List.of(50, 80, 100));
	}

}
