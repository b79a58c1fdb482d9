/**
 * Budget alerts: thresholds, the cap and the month-end forecast, from the spend topic,
 * each once per budget and period.
 */
@NullMarked
package io.tollgate.alerting.budget;

import org.jspecify.annotations.NullMarked;
