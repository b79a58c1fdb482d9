package io.tollgate.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Billing's view of a tenant's (or one key's) spend in the current budget period,
 * published on {@link Topics#SPEND} after it prices metered usage, keyed by tenant id.
 * Alerting compares it to budgets and forecasts.
 *
 * <p>
 * Amounts are exact decimals, never floating point. In JSON they are strings holding a
 * plain decimal ({@code "12.345678"}, never an exponent), because JSON numbers are read
 * as doubles by many consumers and would lose cents.
 *
 * @param updateId unique id of this update
 * @param tenantId the tenant
 * @param apiKeyId the key this spend is for, or {@code null} for the whole tenant
 * @param periodStart the start of the budget period (inclusive)
 * @param periodEnd the end of the budget period (exclusive)
 * @param currency the ISO 4217 currency code of every amount, {@code USD} for now
 * @param spendToDate what was spent in the period up to {@code asOf}
 * @param cap the budget cap for the period, or {@code null} when there is none
 * @param forecastPeriodEnd the spend projected for the end of the period
 * @param asOf the time the figures are valid at
 * @param paused whether calls are currently refused because of this budget
 * @param alertThresholds the budget's alert thresholds in percent of the cap, increasing
 * (for example 50, 80 and 100); empty when there is no cap. Alerting fires once per
 * threshold and period when {@code spendToDate} reaches it.
 */
public record SpendUpdate(@JsonProperty("update_id") String updateId, @JsonProperty("tenant_id") String tenantId,
		@JsonProperty("api_key_id") @Nullable String apiKeyId, @JsonProperty("period_start") Instant periodStart,
		@JsonProperty("period_end") Instant periodEnd, @JsonProperty("currency") String currency,
		@JsonProperty("spend_to_date") BigDecimal spendToDate, @JsonProperty("cap") @Nullable BigDecimal cap,
		@JsonProperty("forecast_period_end") BigDecimal forecastPeriodEnd, @JsonProperty("as_of") Instant asOf,
		@JsonProperty("paused") boolean paused,
		@JsonProperty("alert_thresholds") List<Integer> alertThresholds) implements ContractEvent {

	/** Most alert thresholds one budget has. */
	public static final int MAX_ALERT_THRESHOLDS = 10;

	/** The highest threshold, in percent of the cap. */
	public static final int MAX_ALERT_THRESHOLD_PERCENT = 1000;

	// Absent thresholds arrive as null: an empty list spares every consumer a null check.
	public SpendUpdate {
		alertThresholds = (alertThresholds != null) ? List.copyOf(alertThresholds) : List.of();
	}

	/** The currency of every amount today. */
	public static final String USD = "USD";

	@Override
	public String id() {
		return this.updateId;
	}

	@Override
	public String partitionKey() {
		return this.tenantId;
	}

	@Override
	public Instant eventTime() {
		return this.asOf;
	}

}
