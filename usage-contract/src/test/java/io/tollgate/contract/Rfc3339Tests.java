package io.tollgate.contract;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3339Tests {

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-23T10:15:30Z", "2026-11-23t10:15:30z", "2026-11-23T10:15:30.1Z",
			"2026-11-23T10:15:30.123456789Z", "2026-11-23T11:15:30+01:00", "2026-11-23T05:45:30-04:30",
			"2024-02-29T00:00:00Z", "2000-02-29T23:59:59+18:00", "1970-01-01T00:00:00-18:00", "0001-01-01T00:00:00Z",
			"9999-12-31T23:59:59.999999999Z" })
	void parsesLikeJavaTime(String text) {
		assertThat(Rfc3339.parse(text)).isEqualTo(reference(text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-23T10:15Z", "2026-11-23T10:15:30", "2026-11-23 10:15:30Z",
			"2026-11-23T10:15:30.Z", "2026-11-23T10:15:30.1234567891Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
			"2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-23T24:00:00Z",
			"2026-11-23T23:60:00Z", "2026-11-23T23:59:60Z", "2026-11-23T10:15:30+1:00", "2026-11-23T10:15:30+01:0",
			"2026-11-23T10:15:30+0100", "2026-11-23T10:15:30+19:00", "2026-11-23T10:15:30+18:01",
			"2026-11-23T10:15:30Zz", "2026-1a-23T10:15:30Z", "+2026-11-23T10:15:30Z", "2026-11-23T10:15:30UTC", "" })
	void rejectsWhatIsNotAnRfc3339DateTime(String text) {
		assertThat(Rfc3339.parse(text)).isNull();
	}

	@Test
	void agreesWithJavaTimeOnRandomDateTimes() {
		SplittableRandom random = new SplittableRandom(3339);
		for (int i = 0; i < 20_000; i++) {
			String text = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(1, 10000),
					random.nextInt(1, 13), random.nextInt(1, 32), random.nextInt(0, 24), random.nextInt(0, 60),
					random.nextInt(0, 60), fraction(random), offset(random));
			assertThat(Rfc3339.parse(text)).as(text).isEqualTo(reference(text));
		}
	}

	private static String fraction(SplittableRandom random) {
		int digits = random.nextInt(0, 10);
		if (digits == 0) {
			return "";
		}
		StringBuilder fraction = new StringBuilder(".");
		for (int i = 0; i < digits; i++) {
			fraction.append(random.nextInt(10));
		}
		return fraction.toString();
	}

	private static String offset(SplittableRandom random) {
		if (random.nextBoolean()) {
			return "Z";
		}
		return String.format(Locale.ROOT, "%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(0, 18),
				random.nextInt(0, 60));
	}

	/** What java.time makes of it, or null where it refuses. */
	private static Instant reference(String text) {
		try {
			return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
				.toInstant();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
