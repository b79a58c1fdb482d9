package io.tollgate.alerting.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.alerting.alert.AlertType;
import io.tollgate.contract.SpendUpdate;
import org.jspecify.annotations.Nullable;

/**
 * Decides, from one spend update and what has already fired for its budget and period,
 * which budget alerts fire now and which are re-armed. Pure: the store reads the state
 * and applies the decision in the consumer's transaction.
 *
 * <p>
 * Rules, per budget (a tenant's, or one key's) and period:
 * <ul>
 * <li>threshold {@code t}: fires when spend reaches {@code t} % of the cap; re-armed when
 * spend is below it again (a correction lowered it, or the cap was raised);</li>
 * <li>cap: fires when spend reaches the cap; re-armed likewise;</li>
 * <li>forecast: fires when the projected period-end spend is over the cap, once the
 * period is far enough along and enough was spent (settings); re-armed only after the
 * projection has stayed at or under the cap for a while (hysteresis), so that a
 * projection that hovers around the cap does not alert on every update.</li>
 * </ul>
 * A new period has no state, so everything is armed again without a job. A budget without
 * a cap re-arms everything. Decisions use the update's own time ({@code as_of}), never
 * the wall clock, so a replay decides as the first reading did.
 */
final class BudgetRules {

	static final String CAP = "cap";

	static final String FORECAST = "forecast";

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	private BudgetRules() {
	}

	/**
	 * What to do for one update.
	 *
	 * @param fire the alerts that fire, by state name ({@code threshold:80}, {@code cap},
	 * {@code forecast})
	 * @param rearm the state names to delete
	 * @param forecastUnderSince when the forecast state should record that the projection
	 * went under the cap ({@code null}: leave it); {@link #CLEAR} to clear it
	 */
	record Decision(Map<String, Fired> fire, List<String> rearm, @Nullable Instant forecastUnderSince) {

		static final Instant CLEAR = Instant.EPOCH;

	}

	/**
	 * An alert that fires.
	 *
	 * @param type its type
	 * @param data its evidence
	 */
	record Fired(AlertType type, Map<String, Object> data) {

	}

	/**
	 * The state of a fired alert.
	 *
	 * @param firedAt when it fired
	 * @param underSince for the forecast: since when the projection is under the cap
	 */
	record State(Instant firedAt, @Nullable Instant underSince) {

	}

	/** The forecast's settings. */
	record ForecastSettings(int minElapsedPercent, BigDecimal minSpend, Duration rearmAfter) {

	}

	/**
	 * What a budget that pauses at its cap does to access, from one update and whether it
	 * paused access already (in which period).
	 */
	sealed interface PauseDecision permits Pause, Resume, Keep {

	}

	/** Pause the key (or the tenant's keys) until the period ends. */
	record Pause() implements PauseDecision {

	}

	/**
	 * Lift the pause.
	 *
	 * @param why what lifted it, for the announcement
	 */
	record Resume(String why) implements PauseDecision {

	}

	/** Nothing changes. */
	record Keep() implements PauseDecision {

	}

	/**
	 * Decides on pausing.
	 * @param update the update ({@code paused}: the budget pauses at its cap and spend
	 * reached it)
	 * @param pausedPeriod the start of the period whose cap paused access, or
	 * {@code null} when access is not paused
	 * @return the decision
	 */
	static PauseDecision pause(SpendUpdate update, @Nullable Instant pausedPeriod) {
		if (pausedPeriod == null) {
			return update.paused() ? new Pause() : new Keep();
		}
		if (!pausedPeriod.equals(update.periodStart())) {
			// A new period re-arms the budget: lift the old pause, and pause again at
			// once
			// should the new period's spend already be over the cap (it is not,
			// normally).
			return update.paused() ? new Pause() : new Resume("a new budget period began");
		}
		return update.paused() ? new Keep()
				: new Resume("the cap was raised or removed, or spend was corrected below it");
	}

	static String threshold(int percent) {
		return "threshold:" + percent;
	}

	static Decision decide(SpendUpdate update, Map<String, State> fired, ForecastSettings settings) {
		Map<String, Fired> fire = new LinkedHashMap<>();
		List<String> rearm = new ArrayList<>();
		BigDecimal cap = update.cap();
		if (cap == null || cap.signum() <= 0) {
			rearm.addAll(fired.keySet());
			return new Decision(fire, rearm, null);
		}
		BigDecimal spend = update.spendToDate();
		for (int percent : update.alertThresholds()) {
			String name = threshold(percent);
			boolean crossed = spend.compareTo(cap.multiply(BigDecimal.valueOf(percent)).divide(HUNDRED)) >= 0;
			if (crossed && !fired.containsKey(name)) {
				Map<String, Object> data = evidence(update);
				data.put("threshold_percent", percent);
				fire.put(name, new Fired(AlertType.BUDGET_THRESHOLD_REACHED, data));
			}
			else if (!crossed && fired.containsKey(name)) {
				rearm.add(name);
			}
		}
		// A threshold the budget no longer has is re-armed too, should it come back.
		fired.keySet()
			.stream()
			.filter((name) -> name.startsWith("threshold:")
					&& !update.alertThresholds().contains(Integer.parseInt(name.substring("threshold:".length()))))
			.forEach(rearm::add);
		boolean capReached = spend.compareTo(cap) >= 0;
		if (capReached && !fired.containsKey(CAP)) {
			Map<String, Object> data = evidence(update);
			data.put("paused", update.paused());
			fire.put(CAP, new Fired(AlertType.BUDGET_CAP_REACHED, data));
		}
		else if (!capReached && fired.containsKey(CAP)) {
			rearm.add(CAP);
		}
		return forecast(update, cap, fired.get(FORECAST), settings, fire, rearm);
	}

	private static Decision forecast(SpendUpdate update, BigDecimal cap, @Nullable State state,
			ForecastSettings settings, Map<String, Fired> fire, List<String> rearm) {
		boolean over = update.forecastPeriodEnd().compareTo(cap) > 0;
		if (state != null) {
			if (over) {
				return new Decision(fire, rearm, (state.underSince() != null) ? Decision.CLEAR : null);
			}
			if (state.underSince() == null) {
				return new Decision(fire, rearm, update.asOf());
			}
			if (!update.asOf().isBefore(state.underSince().plus(settings.rearmAfter()))) {
				rearm.add(FORECAST);
			}
			return new Decision(fire, rearm, null);
		}
		if (over && elapsedPercent(update) >= settings.minElapsedPercent()
				&& update.spendToDate().compareTo(settings.minSpend()) >= 0
				&& update.spendToDate().compareTo(cap) < 0) {
			Map<String, Object> data = evidence(update);
			data.put("forecast_period_end_usd", update.forecastPeriodEnd().toPlainString());
			data.put("elapsed_percent", elapsedPercent(update));
			fire.put(FORECAST, new Fired(AlertType.BUDGET_FORECAST_OVER_CAP, data));
		}
		return new Decision(fire, rearm, null);
	}

	/** The share of the period passed at the update's time, in whole percent. */
	static int elapsedPercent(SpendUpdate update) {
		long length = Duration.between(update.periodStart(), update.periodEnd()).toMillis();
		long passed = Duration.between(update.periodStart(), update.asOf()).toMillis();
		if (length <= 0) {
			return 100;
		}
		return (int) Math.max(0, Math.min(100, passed * 100 / length));
	}

	/** What every budget alert says: which budget, which period, how far along. */
	static Map<String, Object> evidence(SpendUpdate update) {
		BigDecimal cap = update.cap();
		Map<String, Object> data = new LinkedHashMap<>();
		Map<String, Object> budget = new LinkedHashMap<>();
		budget.put("scope", (update.apiKeyId() != null) ? "key" : "tenant");
		budget.put("tenant_id", update.tenantId());
		budget.put("api_key_id", update.apiKeyId());
		budget.put("cap_usd", (cap != null) ? cap.toPlainString() : null);
		budget.put("period_start", update.periodStart().toString());
		budget.put("period_end", update.periodEnd().toString());
		data.put("budget", budget);
		data.put("spend_to_date_usd", update.spendToDate().toPlainString());
		data.put("percent_used", (cap != null && cap.signum() > 0)
				? update.spendToDate().multiply(HUNDRED).divide(cap, 2, RoundingMode.HALF_EVEN).toPlainString() : null);
		data.put("as_of", update.asOf().toString());
		return data;
	}

}
