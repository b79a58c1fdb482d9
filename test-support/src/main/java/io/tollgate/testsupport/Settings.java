package io.tollgate.testsupport;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The one switch that decides where test infrastructure comes from, read from environment
 * variables (or system properties of the same name, handy in an IDE).
 *
 * <ul>
 * <li>{@code TOLLGATE_TEST_INFRA}: {@code auto} (default: Testcontainers when a Docker
 * engine answers, otherwise local), {@code testcontainers}, or {@code local} (a Kafka
 * broker process from Maven Central's Kafka artifacts, and the PostgreSQL server on
 * 127.0.0.1:5432).</li>
 * <li>{@code TOLLGATE_TEST_KAFKA_BOOTSTRAP_SERVERS}: use this external broker
 * instead.</li>
 * <li>{@code TOLLGATE_TEST_POSTGRES_HOST}, {@code _PORT}, {@code _USER},
 * {@code _PASSWORD}, {@code _ADMIN_DATABASE}: use this external PostgreSQL server instead
 * (a fresh database is still created on it for every test JVM).</li>
 * </ul>
 */
record Settings(Mode mode, @Nullable String externalKafka, @Nullable String postgresHost, int postgresPort,
		String postgresUser, String postgresPassword, String postgresAdminDatabase) {

	enum Mode {

		AUTO, TESTCONTAINERS, LOCAL

	}

	static Settings fromEnvironment() {
		String modeName = read("TOLLGATE_TEST_INFRA", "auto").trim().toUpperCase(Locale.ROOT);
		Mode mode;
		try {
			mode = Mode.valueOf(modeName);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"TOLLGATE_TEST_INFRA=" + modeName + " is not one of auto, testcontainers, local");
		}
		return new Settings(mode, blankToNull(read("TOLLGATE_TEST_KAFKA_BOOTSTRAP_SERVERS", "")),
				blankToNull(read("TOLLGATE_TEST_POSTGRES_HOST", "")),
				Integer.parseInt(read("TOLLGATE_TEST_POSTGRES_PORT", "5432")),
				read("TOLLGATE_TEST_POSTGRES_USER", "postgres"), read("TOLLGATE_TEST_POSTGRES_PASSWORD", ""),
				read("TOLLGATE_TEST_POSTGRES_ADMIN_DATABASE", "postgres"));
	}

	private static String read(String name, String fallback) {
		String value = System.getProperty(name);
		if (value == null) {
			value = System.getenv(name);
		}
		return (value != null) ? value : fallback;
	}

	private static @Nullable String blankToNull(String value) {
		return value.isBlank() ? null : value.trim();
	}

}
