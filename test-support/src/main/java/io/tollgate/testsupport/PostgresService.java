package io.tollgate.testsupport;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * A fresh PostgreSQL database of this test JVM's own: no test run sees another run's
 * rows.
 *
 * @param host the server's host
 * @param port the server's port
 * @param database the database created for this test JVM
 * @param username the user name
 * @param password the password (may be empty with trust authentication)
 * @param description how the server is provided, for log lines and reports
 */
public record PostgresService(String host, int port, String database, String username, String password,
		String description) {

	/**
	 * Returns the R2DBC URL of the database (without credentials).
	 * @return the URL
	 */
	public String r2dbcUrl() {
		return "r2dbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	/**
	 * Returns the JDBC URL of the database, for migration tools.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	/**
	 * Returns the R2DBC options of the database, credentials included.
	 * @return the options
	 */
	public ConnectionFactoryOptions connectionFactoryOptions() {
		return ConnectionFactoryOptions.parse(r2dbcUrl())
			.mutate()
			.option(ConnectionFactoryOptions.USER, this.username)
			.option(ConnectionFactoryOptions.PASSWORD, this.password)
			.build();
	}

	/**
	 * Creates a new, unpooled R2DBC connection factory for the database.
	 * @return the connection factory
	 */
	public ConnectionFactory connectionFactory() {
		return ConnectionFactories.get(connectionFactoryOptions());
	}

}
