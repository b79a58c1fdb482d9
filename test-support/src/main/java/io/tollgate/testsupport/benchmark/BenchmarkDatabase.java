package io.tollgate.testsupport.benchmark;

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
 * A benchmark's own database on test-support's PostgreSQL server, and the read-only
 * probes a benchmark runs against it (over JDBC, outside the service): the exactly-once
 * offsets and outbox every service keeps, counters, plans and table sizes.
 *
 * <p>
 * A throw-away database is named like test-support's ({@code tollgate_test_<epoch>_...}),
 * so that test-support's stale-database sweep removes it if the benchmark dies before it
 * can drop it. A database kept for later runs is named {@code tollgate_bench_...} instead
 * and outlives the sweep.
 */
public final class BenchmarkDatabase implements AutoCloseable {

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
	 * @param label part of its name (lower-case letters, digits and {@code _})
	 * @param keep whether to keep it after the run
	 * @return the database
	 */
	public static BenchmarkDatabase create(String label, boolean keep) {
		PostgresService server = TestInfrastructure.postgres();
		long epoch = Instant.now().getEpochSecond();
		String suffix = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
		String name = keep ? "tollgate_bench_" + label + "_" + epoch
				: "tollgate_test_" + epoch + "_bench" + label.replaceAll("[^a-z0-9]", "") + suffix;
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
	public static BenchmarkDatabase existing(String name) {
		return new BenchmarkDatabase(database(TestInfrastructure.postgres(), name), true);
	}

	private static PostgresService database(PostgresService server, String name) {
		return new PostgresService(server.host(), server.port(), name, server.username(), server.password(),
				"PostgreSQL at " + server.host() + ":" + server.port() + ", database " + name);
	}

	/**
	 * The connection settings a service gets.
	 * @return the database as a service
	 */
	public PostgresService service() {
		return this.service;
	}

	/**
	 * The database's name, as PostgreSQL's process titles show it.
	 * @return the name
	 */
	public String name() {
		return this.service.database();
	}

	/**
	 * The sum of the next offsets a service's {@code consumer_offsets} table holds for a
	 * group and topic: how many records of the topic it has committed, since a
	 * benchmark's topics start at offset zero.
	 * @param group the consumer group
	 * @param topic the topic
	 * @return the committed records
	 */
	public long committed(String group, String topic) {
		return single("SELECT coalesce(sum(next_offset), 0) FROM consumer_offsets WHERE consumer_group = ? AND "
				+ "topic = ?", group, topic);
	}

	/**
	 * Records waiting in a service's {@code outbox}, estimated from its id range (two
	 * index probes rather than a count over a table that may hold a large backlog); the
	 * relay deletes in id order, so the range is close to the count.
	 * @return the records waiting
	 */
	public long outboxPending() {
		return single("SELECT coalesce(max(id) - min(id) + 1, 0) FROM outbox");
	}

	/**
	 * Runs a query that answers one number.
	 * @param sql the query, with {@code ?} parameters
	 * @param parameters their values
	 * @return the first column of the first row
	 */
	public long single(String sql, Object... parameters) {
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
	public List<List<String>> rows(String sql) {
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

	/**
	 * The plan PostgreSQL ran, with timings and buffers.
	 * @param sql the query
	 * @return the plan's text
	 */
	public String explain(String sql) {
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
	public Map<String, Long> statistics() {
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

	/**
	 * Rows, heap, index and total size of tables, for a report table with
	 * {@link #TABLE_SIZE_HEADER}.
	 * @param tables the tables
	 * @return one row per table
	 */
	public List<List<String>> tableSizes(List<String> tables) {
		List<List<String>> rows = new ArrayList<>();
		for (String table : tables) {
			rows.add(List.of(table, Report.count(single("SELECT count(*) FROM " + table)),
					Report.mib(single("SELECT pg_relation_size('" + table + "')")),
					Report.mib(single("SELECT pg_indexes_size('" + table + "')")),
					Report.mib(single("SELECT pg_total_relation_size('" + table + "')"))));
		}
		return rows;
	}

	/** The columns of {@link #tableSizes}. */
	public static final List<String> TABLE_SIZE_HEADER = List.of("table", "rows", "heap MiB", "indexes MiB",
			"total MiB");

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

	/**
	 * What PostgreSQL did between two {@link #statistics} readings.
	 *
	 * @param before the first reading
	 * @param after the second
	 */
	public record Activity(Map<String, Long> before, Map<String, Long> after) {

		/**
		 * How much a counter grew.
		 * @param counter its name in {@link #statistics}, e.g. {@code db.tup_inserted}
		 * @return the difference
		 */
		public long delta(String counter) {
			return this.after.getOrDefault(counter, 0L) - this.before.getOrDefault(counter, 0L);
		}

		/**
		 * Rows inserted, updated and deleted in the database.
		 * @return the row writes
		 */
		public long rowWrites() {
			return delta("db.tup_inserted") + delta("db.tup_updated") + delta("db.tup_deleted");
		}

		/**
		 * One report line: commits, row writes (also per unit of work), WAL, checkpoints
		 * and buffer reads.
		 * @param label which database, e.g. {@code PostgreSQL}
		 * @param units the units of work done meanwhile, e.g. events
		 * @param unit their name, singular
		 * @return the line, without a leading dash
		 */
		public String describe(String label, long units, String unit) {
			double per = Math.max(1, units);
			return String.format(java.util.Locale.ROOT,
					"%s: %s commits; rows inserted %s, updated %s, deleted %s (%.1f row writes per %s); "
							+ "WAL %s MiB (%.0f bytes per %s, %s full-page images); checkpoints %d timed, %d "
							+ "requested; blocks read %s, hit %s",
					label, Report.count(delta("db.xact_commit")), Report.count(delta("db.tup_inserted")),
					Report.count(delta("db.tup_updated")), Report.count(delta("db.tup_deleted")), rowWrites() / per,
					unit, Report.mib(delta("wal.wal_bytes")), delta("wal.wal_bytes") / per, unit,
					Report.count(delta("wal.wal_fpi")), delta("bgwriter.checkpoints_timed"),
					delta("bgwriter.checkpoints_req"), Report.count(delta("db.blks_read")),
					Report.count(delta("db.blks_hit")));
		}

	}

}
