package io.tollgate.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A PostgreSQL server on which each test JVM creates a database of its own.
 *
 * <p>
 * The database is named {@code tollgate_test_<epoch-seconds>_<random>} and dropped when
 * the JVM exits. Databases left behind by JVMs that were killed before they could drop
 * theirs are dropped once they are older than {@link #STALE_AFTER}, which no test run
 * lasts.
 *
 * @param host the host
 * @param port the port
 * @param username the user, which must be allowed to create databases
 * @param password the password
 * @param adminDatabase an existing database to connect to for CREATE and DROP DATABASE
 * @param description how the server is provided
 */
record PostgresServer(String host, int port, String username, String password, String adminDatabase,
		String description) {

	private static final String PREFIX = "tollgate_test_";

	private static final Duration STALE_AFTER = Duration.ofHours(6);

	PostgresService createDatabase() {
		String name = PREFIX + Instant.now().getEpochSecond() + "_"
				+ Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			dropStaleDatabases(connection);
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Could not create a test database on PostgreSQL at " + this.host + ":" + this.port + " as user "
							+ this.username + " (" + ex.getMessage() + "). Start PostgreSQL "
							+ "(see .ci/run) or point TOLLGATE_TEST_POSTGRES_HOST/_PORT/_USER/_PASSWORD at a server.",
					ex);
		}
		return new PostgresService(this.host, this.port, name, this.username, this.password,
				this.description + ", database " + name);
	}

	void dropDatabase(String name) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			System.err.println("Could not drop test database " + name + ": " + ex.getMessage());
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(
				"jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.adminDatabase, this.username,
				this.password);
	}

	private static void dropStaleDatabases(Connection connection) throws SQLException {
		long cutoff = Instant.now().minus(STALE_AFTER).getEpochSecond();
		List<String> stale = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement
					.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
			while (rows.next()) {
				String name = rows.getString(1);
				String[] parts = name.substring(PREFIX.length()).split("_");
				if (parts.length == 2 && parts[0].chars().allMatch(Character::isDigit)
						&& Long.parseLong(parts[0]) < cutoff) {
					stale.add(name.toLowerCase(Locale.ROOT));
				}
			}
		}
		for (String name : stale) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			}
		}
	}

}
