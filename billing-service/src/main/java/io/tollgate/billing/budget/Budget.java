package io.tollgate.billing.budget;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A budget as the API shows it.
 *
 * @param tenantId the tenant
 * @param apiKeyId the key, or {@code null} for the tenant's own budget
 * @param capUsd the cap per period, an exact decimal in a string
 * @param period {@code month}, {@code week} (from Monday) or {@code day}: the tenant's
 * calendar, which its keys' budgets follow ({@code null} on a key's budget)
 * @param timeZone the IANA time zone the calendar is read in ({@code null} on a key's
 * budget)
 * @param alertThresholds percentages of the cap at which alerts fire, increasing
 * @param pauseAtCap whether reaching the cap pauses access
 * @param createdAt when the budget was first set
 * @param updatedAt when it last changed
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record Budget(String tenantId, @Nullable String apiKeyId, String capUsd, @Nullable String period,
		@Nullable String timeZone, List<Integer> alertThresholds, boolean pauseAtCap, Instant createdAt,
		Instant updatedAt) {

}
