package io.tollgate.billing.budget;

import java.util.List;

import io.tollgate.support.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BudgetChangeTests {

	@Test
	void fillsInTheDefaultsOfWhatTheBodyLeavesOut() {
		BudgetChange change = BudgetChange.parse("{\"cap_usd\": \"500.00\"}", false);
		assertThat(change.capUsd()).hasToString("500.00");
		assertThat(change.period()).isEqualTo("month");
		assertThat(change.timeZone()).isEqualTo("UTC");
		assertThat(change.alertThresholds()).containsExactly(50, 80, 100);
		assertThat(change.pauseAtCap()).isFalse();
		BudgetChange set = BudgetChange.parse("{\"cap_usd\": \"5\", \"period\": \"week\", \"time_zone\": \"Z\", "
				+ "\"alert_thresholds\": [], \"pause_at_cap\": true}", false);
		assertThat(List.of(set.period(), set.timeZone(), set.alertThresholds(), set.pauseAtCap()))
			.containsExactly("week", "UTC", List.of(), true);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "{\"cap_usd\": 500}|cap_usd", "{\"cap_usd\": \"-5\"}|cap_usd", "{\"cap_usd\": \"0.000\"}|cap_usd",
					"{\"cap_usd\": \"1.1234567\"}|cap_usd", "{\"cap_usd\": \" 5\"}|cap_usd", "{}|cap_usd",
					"{\"cap_usd\": \"5\", \"period\": \"year\"}|period",
					"{\"cap_usd\": \"5\", \"period\": \" day\"}|period",
					"{\"cap_usd\": \"5\", \"time_zone\": \"Mars/Olympus\"}|time_zone",
					"{\"cap_usd\": \"5\", \"time_zone\": \"+02:00\"}|time_zone",
					"{\"cap_usd\": \"5\", \"alert_thresholds\": [80, 50]}|alert_thresholds",
					"{\"cap_usd\": \"5\", \"alert_thresholds\": [0]}|alert_thresholds",
					"{\"cap_usd\": \"5\", \"alert_thresholds\": [1001]}|alert_thresholds",
					"{\"cap_usd\": \"5\", \"alert_thresholds\": [50.0]}|alert_thresholds",
					"{\"cap_usd\": \"5\", \"alert_thresholds\": [\"50\"]}|alert_thresholds",
					"{\"cap_usd\": \"5\", \"alert_thresholds\": [1,2,3,4,5,6,7,8,9,10,11]}|alert_thresholds",
					"{\"cap_usd\": \"5\", \"pause_at_cap\": \"true\"}|pause_at_cap",
					"{\"cap_usd\": \"5\", \"pause_at_cap\": 1}|pause_at_cap",
					"{\"cap_usd\": \"5\", \"cap\": \"5\"}|cap", "{\"cap_usd\":|body", "[]|body" })
	void refusesATenantBudgetNamingTheField(String body, String param) {
		assertRefused(body, false, param);
	}

	@Test
	void refusesACalendarOnAKeysBudget() {
		assertRefused("{\"cap_usd\": \"5\", \"period\": \"day\"}", true, "period");
		assertRefused("{\"cap_usd\": \"5\", \"time_zone\": \"UTC\"}", true, "time_zone");
		assertThat(BudgetChange.parse("{\"cap_usd\": \"5\", \"alert_thresholds\": [10]}", true).alertThresholds())
			.containsExactly(10);
	}

	private static void assertRefused(String body, boolean forKey, String param) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> BudgetChange.parse(body, forKey))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(ApiException.INVALID_PARAMETER);
				assertThat(ex.details()).containsEntry("param", param);
			});
	}

}
