package io.tollgate.billing.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.contract.SpendUpdate;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/spend/current}: the period so far and where it is heading. Amounts are
 * exact decimals in USD, as strings, never rounded (percent_used and the forecast are
 * derived figures, to two and six decimals).
 *
 * @param tenantId the tenant
 * @param apiKeyId the key, when the figures are for one key
 * @param periodStart start of the budget period
 * @param periodEnd end of the budget period (exclusive)
 * @param currency always {@code USD}
 * @param spendToDate spend in the period so far
 * @param cap the budget cap, when a budget is set
 * @param remaining {@code cap - spendToDate} (never below zero), when a budget is set
 * @param percentUsed {@code spendToDate / cap x 100} to two decimals, when a budget is
 * set
 * @param alertThresholds the budget's alert thresholds in percent (empty without one)
 * @param forecastPeriodEnd spend projected for the end of the period: spend so far plus
 * the last 24 hours' rate over the time left
 * @param pauseAtCap whether reaching the cap pauses access
 * @param paused whether the budget pauses access now
 * @param asOf when the figures were read
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record CurrentSpend(String tenantId, @Nullable String apiKeyId, Instant periodStart, Instant periodEnd, String currency,
		String spendToDate, @Nullable String cap, @Nullable String remaining, @Nullable String percentUsed,
		List<Integer> alertThresholds, String forecastPeriodEnd, boolean pauseAtCap, boolean paused, Instant asOf) {

	static CurrentSpend of(SpendFigures figures) {
		return new CurrentSpend(figures.tenantId(), figures.apiKeyId().isEmpty() ? null : figures.apiKeyId(),
				figures.periodStart(), figures.periodEnd(), SpendUpdate.USD, figures.spendToDate().toPlainString(),
				plain(figures.cap()), plain(figures.remaining()), plain(figures.percentUsed()),
				figures.alertThresholds(), figures.forecast().toPlainString(), figures.pauseAtCap(), figures.paused(),
				figures.asOf());
	}

	private static @Nullable String plain(@Nullable BigDecimal amount) {
		return (amount != null) ? amount.toPlainString() : null;
	}

}
