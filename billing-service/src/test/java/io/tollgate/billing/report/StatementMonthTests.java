package io.tollgate.billing.report;

import io.tollgate.support.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StatementMonthTests {

	@Test
	void isTheCalendarMonthInUtc() {
		StatementMonth month = StatementMonth.parse("2026-11");
		assertThat(month.start()).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(month.end()).isEqualTo("2026-12-01T00:00:00Z");
		assertThat(month.text()).isEqualTo("2026-11");
	}

	@Test
	void knowsLeapYearsAndTheTurnOfTheYear() {
		assertThat(StatementMonth.parse("2028-02").end()).isEqualTo("2028-03-01T00:00:00Z");
		assertThat(StatementMonth.parse("2026-12").end()).isEqualTo("2027-01-01T00:00:00Z");
		assertThat(StatementMonth.parse("1970-01").start()).isEqualTo("1970-01-01T00:00:00Z");
		assertThat(StatementMonth.parse("9999-12").text()).isEqualTo("9999-12");
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-13", "2026-00", "26-01", "2026-1", "2026-011", "2026-11-01", "2026/11", "202611",
			"november", "", "1969-12", "+2026-11", "２０２６-11" })
	void rejectsAnythingButYyyyMm(String text) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> StatementMonth.parse(text)).satisfies((ex) -> {
			assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(ex.code()).isEqualTo("invalid_parameter");
			assertThat(ex.details()).containsEntry("param", "month");
			assertThat(ex.getMessage()).contains("yyyy-mm");
		});
	}

}
