package io.tollgate.metering.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.TestInfrastructure;

/**
 * The benchmark's own database on test-support's PostgreSQL server, and the read-only
 * probes the benchmark runs against it (over JDBC, outside the service).
 *
 * <p>
 * A throw-away database is named like test-support's ({@code tollgate_test_<epoch>_...}),
 * so that test-support's stale-database sweep removes it if the benchmark dies before it
 * can drop it. A database kept for later runs ({@code --keep-database}) is named
 * {@code tollgate_bench_...} instead and outlives the sweep.
 */
final class BenchmarkDatabase implements AutoCloseable {

	private final PostgresService service;

	private final boolean keep;

	private final Connection connection;

	private BenchmarkDatabase(PostgresService service, boolean keep) {
		this.service = service;
		this.keep = keep;
		this.connection = connect(service);
	}

	/**
	 * Creates a new, empty database.
	 * @param label part of its name
	 * @param keep whether to keep it after the run
	 * @return the database
	 */
	static BenchmarkDatabase create(String label, boolean keep) {
		PostgresService server = TestInfrastructure.postgres();
		long epoch = Instant.now().getEpochSecond();
		String suffix = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
		String name = keep ? "tollgate_bench_" + label + "_" + epoch : "tollgate_test_" + epoch + "_bench" + suffix;
		try (Connection admin = connect(server); Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create database " + name, ex);
		}
		return new BenchmarkDatabase(database(server, name), keep);
	}

	/**
	 * Opens a database an earlier run kept.
	 * @param name its name
	 * @return the database, kept again when closed
	 */
	static BenchmarkDatabase existing(String name) {
		return new BenchmarkDatabase(database(TestInfrastructure.postgres(), name), true);
	}

	private static PostgresService database(PostgresService server, String name) {
		return new PostgresService(server.host(), server.port(), name, server.username(), server.password(),
				"PostgreSQL at " + server.host() + ":" + server.port() + ", database " + name);
	}

	PostgresService service() {
		return this.service;
	}

	String name() {
		return this.service.database();
	}

	/**
	 * The sum of the next offsets PostgreSQL holds for a group: how many records of the
	 * topic metering has committed, when the topic's offsets start at zero.
	 */
	long committed(String group, String topic) {
		return single("SELECT coalesce(sum(next_offset), 0) FROM consumer_offsets WHERE consumer_group = ? AND "
				+ "topic = ?", group, topic);
	}

	/**
	 * Records waiting in the outbox, estimated from its id range (two index probes rather
	 * than a count over a table that may hold a large backlog); the relay deletes in id
	 * order, so the range is close to the count.
	 */
	long outboxPending() {
		return single("SELECT coalesce(max(id) - min(id) + 1, 0) FROM outbox");
	}

	long single(String sql, Object... parameters) {
		try (PreparedStatement statement = this.connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	/**
	 * Rows of a query as text, first row the column names.
	 * @param sql the query
	 * @return the rows
	 */
	List<List<String>> rows(String sql) {
		try (Statement statement = this.connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			ResultSetMetaData meta = rows.getMetaData();
			List<List<String>> result = new ArrayList<>();
			List<String> header = new ArrayList<>();
			for (int c = 1; c <= meta.getColumnCount(); c++) {
				header.add(meta.getColumnLabel(c));
			}
			result.add(header);
			while (rows.next()) {
				List<String> row = new ArrayList<>();
				for (int c = 1; c <= meta.getColumnCount(); c++) {
					row.add(String.valueOf(rows.getObject(c)));
				}
				result.add(row);
			}
			return result;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	/** The plan PostgreSQL ran, with timings and buffers. */
	String explain(String sql) {
		StringBuilder plan = new StringBuilder();
		rows("EXPLAIN (ANALYZE, BUFFERS) " + sql).stream()
			.skip(1)
			.forEach((row) -> plan.append(row.getFirst()).append('\n'));
		return plan.toString();
	}

	/**
	 * Counters of this database and of the server's WAL and checkpoints (the server-wide
	 * ones include every other database's work).
	 * @return counter name to value
	 */
	Map<String, Long> statistics() {
		Map<String, Long> statistics = new LinkedHashMap<>();
		counters(statistics, "db.", "SELECT xact_commit, xact_rollback, blks_read, blks_hit, tup_inserted, "
				+ "tup_updated, tup_deleted, temp_bytes FROM pg_stat_database WHERE datname = current_database()");
		counters(statistics, "wal.", "SELECT wal_records, wal_fpi, wal_bytes::bigint AS wal_bytes, wal_buffers_full, "
				+ "wal_write, wal_sync FROM pg_stat_wal");
		counters(statistics, "bgwriter.",
				"SELECT checkpoints_timed, checkpoints_req, checkpoint_write_time::bigint AS checkpoint_write_ms, "
						+ "checkpoint_sync_time::bigint AS checkpoint_sync_ms, buffers_checkpoint, buffers_clean, "
						+ "buffers_backend FROM pg_stat_bgwriter");
		return statistics;
	}

	private void counters(Map<String, Long> into, String prefix, String sql) {
		List<List<String>> rows = rows(sql);
		for (int c = 0; c < rows.getFirst().size(); c++) {
			into.put(prefix + rows.getFirst().get(c), Long.parseLong(rows.get(1).get(c)));
		}
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			// Closing a probe connection cannot fail in a way that matters.
		}
		if (!this.keep) {
			try (Connection admin = connect(TestInfrastructure.postgres());
					Statement statement = admin.createStatement()) {
				statement.execute("DROP DATABASE IF EXISTS " + name() + " WITH (FORCE)");
			}
			catch (SQLException ex) {
				System.err.println("Could not drop " + name() + ": " + ex.getMessage());
			}
		}
	}

	private static Connection connect(PostgresService database) {
		try {
			return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot connect to " + database.description(), ex);
		}
	}

}
