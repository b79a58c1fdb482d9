package io.tollgate.testsupport.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tollgate.testsupport.KafkaService;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * One run of a benchmark: its directory ({@code <parent>/<phase>-<UTC time>}) with the
 * summary ({@code summary.md}, see {@link Report}) and whatever raw data the benchmark
 * writes next to it, and the description of the machine and software every summary starts
 * with.
 */
public final class BenchmarkRun implements AutoCloseable {

	private final Path directory;

	private final String stamp;

	private final Report report;

	private final List<AutoCloseable> logs = new ArrayList<>();

	private BenchmarkRun(Path directory, String stamp) {
		this.directory = directory;
		this.stamp = stamp;
		this.report = new Report(directory.resolve("summary.md"));
	}

	/**
	 * Creates the run's directory, and its summary with a title.
	 * @param parent where runs go, e.g. {@code billing-service/target/benchmark}
	 * @param title the benchmark's name, e.g. {@code Billing benchmark}
	 * @param phase the phase, first part of the directory's name and of the title
	 * @return the run
	 */
	public static BenchmarkRun create(Path parent, String title, String phase) {
		String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path directory = parent.resolve(phase + "-" + stamp);
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		BenchmarkRun run = new BenchmarkRun(directory, stamp);
		run.report.line("# %s: %s", title, phase);
		return run;
	}

	/**
	 * The run's directory.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * The run's start, {@code yyyyMMdd-HHmmss} in UTC: unique enough for consumer group
	 * names.
	 * @return the stamp
	 */
	public String stamp() {
		return this.stamp;
	}

	/**
	 * The run's summary.
	 * @return the report
	 */
	public Report report() {
		return this.report;
	}

	/**
	 * A file in the run's directory.
	 * @param name its name
	 * @return its path
	 */
	public Path file(String name) {
		return this.directory.resolve(name);
	}

	/**
	 * Writes a file into the run's directory.
	 * @param name its name
	 * @param content its text
	 */
	public void write(String name, String content) {
		try {
			Files.writeString(file(name), content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Opens a CSV file in the run's directory, closed with the run.
	 * @param name its name
	 * @param header its first line
	 * @return the file, flushed after every row so that a failed run keeps its rows
	 */
	public Csv csv(String name, String header) {
		try {
			Csv csv = new Csv(Files.newBufferedWriter(file(name), StandardCharsets.UTF_8));
			this.logs.add(csv);
			csv.row(header);
			return csv;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Adds the "Setup" section: date and commit, machine, Java and Kafka, and the
	 * PostgreSQL server's settings that matter to a write-heavy run.
	 * @param kafka the broker
	 * @param database any database of the run, on the server to describe
	 */
	public void describeSetup(KafkaService kafka, BenchmarkDatabase database) {
		this.report.heading("Setup");
		this.report.line("- date (UTC): %s; commit %s%s", Instant.now().truncatedTo(ChronoUnit.SECONDS),
				command("git", "rev-parse", "--short", "HEAD"),
				command("git", "status", "--porcelain", "--untracked-files=no").isBlank() ? ""
						: " (with uncommitted changes)");
		this.report.line("- machine: %d cores, %d GiB; Java %s; Kafka %s (%s)",
				Runtime.getRuntime().availableProcessors(), memoryGib(), System.getProperty("java.version"),
				AppInfoParser.getVersion(), kafka.description());
		this.report.line("- PostgreSQL: %s; %s", database.service().description(),
				String.join(", ",
						database.rows("SELECT 'version ' || current_setting('server_version') || ', shared_buffers '"
								+ " || current_setting('shared_buffers') || ', synchronous_commit '"
								+ " || current_setting('synchronous_commit') || ', max_wal_size '"
								+ " || current_setting('max_wal_size') || ', checkpoint_timeout '"
								+ " || current_setting('checkpoint_timeout')")
							.get(1)));
	}

	@Override
	public void close() throws Exception {
		for (AutoCloseable log : this.logs) {
			log.close();
		}
	}

	private static long memoryGib() {
		try {
			String line = Files.readAllLines(Path.of("/proc/meminfo")).getFirst();
			return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 1024;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static String command(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			process.waitFor(10, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	/**
	 * A CSV file of raw samples.
	 */
	public static final class Csv implements AutoCloseable {

		private final BufferedWriter writer;

		private Csv(BufferedWriter writer) {
			this.writer = writer;
		}

		/**
		 * Writes a line.
		 * @param line the line, fields already joined
		 */
		public synchronized void row(String line) {
			try {
				this.writer.write(line);
				this.writer.newLine();
				this.writer.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public synchronized void close() throws IOException {
			this.writer.close();
		}

	}

}
