package io.tollgate.metering.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import io.tollgate.contract.Topics;
import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.AppInfoParser;
import org.jspecify.annotations.Nullable;

/**
 * The metering service's throughput, consumer lag and usage API latency, measured with
 * the real Kafka broker and PostgreSQL of test-support and the service run from its
 * packaged jar. Not a test; run it with {@code bin/benchmark-metering} as
 * docs/benchmarks.md says.
 *
 * <p>
 * Phases (the first argument):
 * <ul>
 * <li>{@code drain}: publishes a backlog ({@code --events}, 3,000,000) while metering is
 * not running, then starts it and follows, every second, how much of the topic
 * PostgreSQL's {@code consumer_offsets} say is committed, until all of it is.</li>
 * <li>{@code sustained}: metering runs, an open-loop generator publishes at each of
 * {@code --rates} (50000,25000) for {@code --seconds} (90) after a warm-up, and lag (the
 * topic's end offsets minus PostgreSQL's committed offsets) is sampled every second, then
 * followed until it is back to zero.</li>
 * <li>{@code month}: a month of usage ({@code --events}, 10,000,000, over {@code --days},
 * 30), published in time order as if replayed, drained like {@code drain}; then
 * {@code GET /v1/usage} latency, the plans of its SQL, and the tables' sizes.
 * {@code --keep-database} keeps the database for {@code api}.</li>
 * <li>{@code api}: the usage API part of {@code month} alone, against a kept database
 * ({@code --database}).</li>
 * </ul>
 * Every phase starts its own broker and database. Common options: {@code --compression}
 * (none), {@code --jfr} (record metering with Flight Recorder), {@code --set=key=value}
 * (a metering property, repeatable), {@code --out} (metering-service/target/benchmark).
 * Metering's JVM options come from {@code METERING_JAVA_OPTIONS}, by default
 * {@value MeteringProcess#DEFAULT_JVM_OPTIONS}.
 */
public final class MeteringBenchmark implements AutoCloseable {

	private static final String INTERNAL_TOKEN = "benchmark-internal-token-0123456789abcdef";

	private static final int PARTITIONS = 12;

	private static final String TOPIC = Topics.USAGE.name();

	private static final Path JAR = Path.of("metering-service", "target", "metering-service-0.1.0-SNAPSHOT.jar");

	private static final Set<String> OPTIONS = Set.of("events", "rates", "seconds", "warmup-rate", "warmup-seconds",
			"days", "keep-database", "database", "warmup", "requests", "compression", "out", "set", "jfr", "seed",
			"timeout-minutes");

	/**
	 * The SQL text of the sums in {@code UsageStore}, so that the plans are of its query.
	 */
	private static final String SUMS = """
			sum(requests)::bigint AS requests, sum(successes)::bigint AS successes,
			sum(upstream_errors)::bigint AS upstream_errors, sum(client_aborts)::bigint AS client_aborts,
			sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
			sum(cache_write_5m_tokens)::bigint AS cache_write_5m_tokens,
			sum(cache_write_1h_tokens)::bigint AS cache_write_1h_tokens,
			sum(cache_read_tokens)::bigint AS cache_read_tokens, sum(reasoning_tokens)::bigint AS reasoning_tokens,
			sum(server_tool_uses)::bigint AS server_tool_uses""";

	private final Options options;

	private final Path directory;

	private final Report report;

	private final KafkaService kafka;

	private final Admin admin;

	private final BenchmarkDatabase database;

	private final String group;

	private final EventMix mix;

	private final BufferedWriter samples;

	private final long kafkaPid;

	private @Nullable MeteringProcess metering;

	private @Nullable CpuMeter cpu;

	private MeteringBenchmark(Options options) throws IOException {
		this.options = options;
		String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		this.directory = Path.of(options.value("out", "metering-service/target/benchmark"))
			.resolve(options.phase() + "-" + stamp);
		Files.createDirectories(this.directory);
		this.report = new Report(this.directory.resolve("summary.md"));
		this.samples = Files.newBufferedWriter(this.directory.resolve("samples.csv"), StandardCharsets.UTF_8);
		this.samples.write("segment,t_s,sent,end_offsets,committed,lag,outbox_pending," + CpuMeter.Usage.CSV_HEADER);
		this.samples.newLine();
		this.kafka = TestInfrastructure.kafka();
		this.kafkaPid = CpuMeter.kafkaBrokerPid();
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers()));
		String existing = options.value("database", "");
		this.database = existing.isEmpty() ? BenchmarkDatabase.create(options.phase(), options.flag("keep-database"))
				: BenchmarkDatabase.existing(existing);
		this.group = "metering-benchmark-" + stamp;
		this.mix = new EventMix(options.longValue("seed", 20261123));
		this.mix.selfCheck(2_000);
	}

	public static void main(String[] args) {
		int status = 0;
		try (MeteringBenchmark benchmark = new MeteringBenchmark(Options.parse(args))) {
			benchmark.run();
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			status = 1;
		}
		System.exit(status);
	}

	private void run() throws Exception {
		this.report.line("# Metering benchmark: %s", this.options.phase());
		describeSetup();
		switch (this.options.phase()) {
			case "drain" -> drain(this.options.longValue("events", 3_000_000), Duration.ofSeconds(5), null);
			case "sustained" -> sustained();
			case "month" -> month();
			case "api" -> {
				startMetering();
				usageApi();
			}
			default -> throw new IllegalArgumentException(
					"unknown phase " + this.options.phase() + " (drain, sustained, month, api)");
		}
		this.report.line("\nRaw data: %s", this.directory);
	}

	private void describeSetup() {
		this.report.heading("Setup");
		this.report.line("- date (UTC): %s; commit %s%s", Instant.now().truncatedTo(ChronoUnit.SECONDS),
				command("git", "rev-parse", "--short", "HEAD"),
				command("git", "status", "--porcelain", "--untracked-files=no").isBlank() ? ""
						: " (with uncommitted changes)");
		this.report.line("- machine: %d cores, %d GiB; Java %s; Kafka %s (%s)",
				Runtime.getRuntime().availableProcessors(), memoryGib(), System.getProperty("java.version"),
				AppInfoParser.getVersion(), this.kafka.description());
		this.report
			.line("- PostgreSQL: %s; %s", this.database.service().description(), String.join(", ",
					this.database.rows("SELECT 'version ' || current_setting('server_version') || ', shared_buffers '"
							+ " || current_setting('shared_buffers') || ', synchronous_commit '"
							+ " || current_setting('synchronous_commit') || ', max_wal_size '"
							+ " || current_setting('max_wal_size') || ', checkpoint_timeout '"
							+ " || current_setting('checkpoint_timeout')")
						.get(1)));
		this.report.line("- usage topic: %d partitions, producer compression %s, acks=all", PARTITIONS, compression());
		this.mix.describe().forEach((key, value) -> this.report.line("- event mix, %s: %s", key, value));
		double[] shares = this.mix.partitionShares(PARTITIONS);
		this.report.line("- share of events per partition (keyed by tenant): %s",
				Arrays.stream(shares).mapToObj((share) -> String.format(Locale.ROOT, "%.1f", share * 100)).toList());
	}

	private void drain(long events, Duration step, @Nullable Duration days) throws Exception {
		createTopic();
		Instant now = Instant.now();
		Instant hourEnd = now.truncatedTo(ChronoUnit.HOURS);
		long first = (days != null) ? hourEnd.minus(days).toEpochMilli() : 0;
		long span = (days != null) ? now.minusSeconds(120).toEpochMilli() - first : 0;
		this.report.heading("Backlog");
		try (Load load = new Load(this.mix, this.kafka.bootstrapServers(), compression())) {
			Duration took = load.backlog(events,
					(days != null) ? (i) -> first + (i * span) / events : (i) -> System.currentTimeMillis());
			this.report.line("- published %s events in %.1f s (%s events/s) before metering started; completed_at %s",
					Report.count(events), took.toMillis() / 1e3, Report.count(events / (took.toMillis() / 1e3)),
					(days != null) ? "in time order from " + Instant.ofEpochMilli(first) + " to "
							+ Instant.ofEpochMilli(first + span) : "the time of publishing");
		}
		long total = endOffsets();
		if (total != events) {
			throw new IllegalStateException("the topic holds " + total + " records, expected " + events);
		}
		Map<String, Long> before = this.database.statistics();
		long launched = System.nanoTime();
		startMetering();
		this.report.line("- metering ready %.1f s after launch (it consumes from before readiness)",
				(System.nanoTime() - launched) / 1e9);
		Duration timeout = Duration.ofMinutes(this.options.longValue("timeout-minutes", 60));
		List<Sample> drained = follow("drain", null, (sample) -> sample.committed() >= total, timeout);
		List<Sample> relay = follow("outbox", null, (sample) -> sample.outbox() == 0, Duration.ofMinutes(10));
		Scrape scrape = scrape("end");
		Map<String, Long> after = this.database.statistics();
		summarizeDrain(drained, relay, total, (System.nanoTime() - launched) / 1e9, step, scrape, before, after);
	}

	private void summarizeDrain(List<Sample> drained, List<Sample> relay, long total, double sinceLaunch, Duration step,
			Scrape scrape, Map<String, Long> before, Map<String, Long> after) {
		Sample first = drained.getFirst();
		Sample last = drained.getLast();
		this.report.heading("Drain");
		if (last.committed() < total) {
			this.report.line("**Timed out**: %s of %s events committed", Report.count(last.committed()),
					Report.count(total));
		}
		double seconds = last.seconds() - first.seconds();
		double overall = (last.committed() - first.committed()) / seconds;
		Sample from = firstReaching(drained, total / 10);
		Sample to = firstReaching(drained, total * 9 / 10);
		double middle = (to.committed() - from.committed()) / Math.max(1e-9, to.seconds() - from.seconds());
		this.report.line(
				"- %s events committed in %.1f s from the first sample after readiness (%s already "
						+ "committed then): **%s events/s** overall; %s events/s over the middle 80 %% (%s to %s s)",
				Report.count(total), seconds, Report.count(first.committed()), Report.count(overall),
				Report.count(middle), Report.decimal(from.seconds()), Report.decimal(to.seconds()));
		this.report.line("- from launch to the last commit: %.1f s; outbox empty %.1f s after the last commit",
				sinceLaunch - (relay.isEmpty() ? 0 : relay.getLast().seconds()),
				relay.isEmpty() ? 0 : relay.getLast().seconds());
		cpuSummary(drained.subList(Math.min(1, drained.size() - 1), drained.size()), total - first.committed());
		batchSummary(scrape, null);
		databaseSummary(before, after, total);
		intervalTable(drained, step);
	}

	private void sustained() throws Exception {
		createTopic();
		List<Integer> rates = this.options.ints("rates", List.of(50_000, 25_000));
		int seconds = (int) this.options.longValue("seconds", 90);
		int warmupRate = (int) this.options.longValue("warmup-rate", 20_000);
		int warmupSeconds = (int) this.options.longValue("warmup-seconds", 30);
		startMetering();
		try (Load load = new Load(this.mix, this.kafka.bootstrapServers(), compression())) {
			this.report.heading("Warm-up");
			Thread warmup = load.openLoop(warmupRate, Duration.ofSeconds(warmupSeconds));
			List<Sample> warm = follow("warm-up", load, (sample) -> !warmup.isAlive() && sample.lag() == 0,
					Duration.ofSeconds(warmupSeconds + 300));
			warmup.join();
			this.report.line("- %d s at %s events/s, then until lag was zero: %.0f s in all", warmupSeconds,
					Report.count(warmupRate), warm.getLast().seconds());
			for (int rate : rates) {
				follow("settle", load, (sample) -> sample.outbox() == 0, Duration.ofSeconds(120));
				Scrape scrapeBefore = scrape("before-" + rate);
				Map<String, Long> before = this.database.statistics();
				Thread schedule = load.openLoop(rate, Duration.ofSeconds(seconds));
				List<Sample> during = follow("rate " + rate, load, (sample) -> !schedule.isAlive(),
						Duration.ofSeconds(seconds + 60));
				schedule.join();
				load.checkFailures();
				List<Sample> recovery = follow("recovery " + rate, load, (sample) -> sample.lag() == 0,
						Duration.ofSeconds(240));
				Scrape scrapeAfter = scrape("after-" + rate);
				Map<String, Long> after = this.database.statistics();
				summarizeRate(rate, seconds, during, recovery, scrapeBefore, scrapeAfter, before, after);
			}
		}
	}

	private void summarizeRate(int rate, int seconds, List<Sample> during, List<Sample> recovery, Scrape before,
			Scrape after, Map<String, Long> statsBefore, Map<String, Long> statsAfter) {
		this.report.heading("Open loop at " + Report.count(rate) + " events/s for " + seconds + " s");
		Sample first = during.getFirst();
		Sample last = during.getLast();
		double span = last.seconds() - first.seconds();
		double sent = (last.sent() - first.sent()) / span;
		double committed = (last.committed() - first.committed()) / span;
		long maxLag = during.stream().mapToLong(Sample::lag).max().orElse(0);
		List<Sample> secondHalf = during.subList(during.size() / 2, during.size());
		double slope = slope(secondHalf);
		boolean recovered = !recovery.isEmpty() && recovery.getLast().lag() == 0;
		boolean bounded = slope < rate * 0.02 && recovered;
		this.report.line("- offered %s events/s, sent %s events/s; metering committed **%s events/s**",
				Report.count(rate), Report.count(sent), Report.count(committed));
		this.report.line(
				"- lag: max %s events; at the end of the schedule %s events (%.1f s of input); trend over "
						+ "the second half %+,.0f events/s",
				Report.count(maxLag), Report.count(last.lag()), last.lag() / (double) rate, slope);
		this.report.line("- back to zero lag %s after the schedule ended",
				recovered ? Report.decimal(recovery.getLast().seconds()) + " s" : "**not** within 240 s");
		this.report.line("- verdict: lag %s", bounded ? "**bounded**" : "**grows** (metering falls behind)");
		cpuSummary(secondHalf, secondHalf.getLast().committed() - secondHalf.getFirst().committed());
		batchSummary(after, before);
		databaseSummary(statsBefore, statsAfter, last.committed() - first.committed());
		intervalTable(during, Duration.ofSeconds(5));
	}

	private void month() throws Exception {
		long events = this.options.longValue("events", 10_000_000);
		Duration days = Duration.ofDays(this.options.longValue("days", 30));
		drain(events, Duration.ofSeconds(60), days);
		usageApi();
		if (this.options.flag("keep-database")) {
			this.report.line("\nDatabase kept: `%s` (`bin/benchmark-metering api --database=%s`)", this.database.name(),
					this.database.name());
		}
	}

	private void usageApi() throws IOException {
		MeteringProcess service = running();
		Instant hourTo = Instant.ofEpochSecond(
				this.database.single("SELECT extract(epoch FROM max(bucket_start))::bigint FROM usage_hour"));
		Instant hourFrom = hourTo.minus(Duration.ofDays(30));
		Instant dayTo = Instant
			.ofEpochSecond(this.database.single("SELECT extract(epoch FROM max(bucket_start))::bigint FROM usage_day"));
		Instant dayFrom = dayTo.minus(Duration.ofDays(30));
		String largest = this.mix.tenants().getFirst();
		String median = this.mix.tenants().get(EventMix.TENANTS / 2);
		String hours = "&starting_at=" + hourFrom + "&ending_at=" + hourTo + "&bucket_width=1h&limit=744";
		String daysQuery = "&starting_at=" + dayFrom + "&ending_at=" + dayTo + "&bucket_width=1d&limit=31";
		Map<String, String> queries = new LinkedHashMap<>();
		queries.put("1h x 720, largest tenant", "tenant_id=" + largest + hours);
		queries.put("1h x 720, group_by=model, largest tenant", "tenant_id=" + largest + hours + "&group_by=model");
		queries.put("1h x 720, group_by=api_key_id,model, largest tenant",
				"tenant_id=" + largest + hours + "&group_by=api_key_id&group_by=model");
		queries.put("1d x 30, largest tenant", "tenant_id=" + largest + daysQuery);
		queries.put("1d x 30, group_by=model, largest tenant", "tenant_id=" + largest + daysQuery + "&group_by=model");
		queries.put("1h x 720, median tenant", "tenant_id=" + median + hours);
		int warmup = (int) this.options.longValue("warmup", 50);
		int requests = (int) this.options.longValue("requests", 200);
		this.report.heading("GET /v1/usage latency");
		this.report.line(
				"- straight to metering (admin caller headers), sequential, one kept-alive connection; "
						+ "%d warm-up requests then %d measured per query; range %s to %s (hours), %s to %s (days)",
				warmup, requests, hourFrom, hourTo, dayFrom, dayTo);
		this.report.line("- largest tenant %s (%.1f %% of events), median tenant %s (%.2f %%)", largest,
				this.mix.tenantShare(0) * 100, median, this.mix.tenantShare(EventMix.TENANTS / 2) * 100);
		UsageApiLatency api = new UsageApiLatency(service.baseUrl(), INTERNAL_TOKEN);
		List<List<String>> rows = new ArrayList<>();
		try (BufferedWriter raw = Files.newBufferedWriter(this.directory.resolve("usage-api-latency.csv"),
				StandardCharsets.UTF_8)) {
			raw.write("query,request,millis");
			raw.newLine();
			for (Map.Entry<String, String> query : queries.entrySet()) {
				UsageApiLatency.Result result = api.measure(query.getKey(), query.getValue(), warmup, requests);
				for (int i = 0; i < result.nanos().length; i++) {
					raw.write("\"" + result.name() + "\"," + i + "," + result.nanos()[i] / 1e6);
					raw.newLine();
				}
				rows.add(List.of(result.name(), Integer.toString(result.buckets()), Integer.toString(result.results()),
						Report.count(result.requests()), Report.count(result.bytes()), Report.millis(result.millis(50)),
						Report.millis(result.millis(90)), Report.millis(result.millis(99)),
						Report.millis(result.millis(100)), Report.millis(result.meanMillis())));
			}
		}
		this.report.table(List.of("query", "buckets", "results", "requests counted", "bytes", "p50 ms", "p90 ms",
				"p99 ms", "max ms", "mean ms"), rows);
		this.report.line("- full query strings: %s", queries.values());
		plans(largest, hourFrom, hourTo, dayFrom, dayTo);
		tables();
	}

	private void plans(String tenant, Instant hourFrom, Instant hourTo, Instant dayFrom, Instant dayTo) {
		this.report.heading("Plans of UsageStore's SQL (EXPLAIN ANALYZE, BUFFERS; after the latency runs)");
		this.report.line("- rows of the largest tenant in the range: usage_hour %s, usage_day %s",
				Report.count(this.database.single(
						"SELECT count(*) FROM usage_hour WHERE tenant_id = ? AND "
								+ "bucket_start >= ?::timestamptz AND bucket_start < ?::timestamptz",
						tenant, hourFrom.toString(), hourTo.toString())),
				Report.count(this.database.single(
						"SELECT count(*) FROM usage_day WHERE tenant_id = ? AND "
								+ "bucket_start >= ?::timestamptz AND bucket_start < ?::timestamptz",
						tenant, dayFrom.toString(), dayTo.toString())));
		this.report.line("- statistics: %s",
				this.database
					.rows("SELECT relname, n_live_tup, n_dead_tup, last_autovacuum, last_autoanalyze "
							+ "FROM pg_stat_user_tables ORDER BY relname")
					.stream()
					.skip(1)
					.map(List::toString)
					.toList());
		Map<String, String> statements = new LinkedHashMap<>();
		statements.put("usage_hour, 720 hours, no grouping", usageSql("usage_hour", tenant, hourFrom, hourTo, ""));
		statements.put("usage_hour, 720 hours, group_by=model",
				usageSql("usage_hour", tenant, hourFrom, hourTo, ", model"));
		statements.put("usage_day, 30 days, no grouping", usageSql("usage_day", tenant, dayFrom, dayTo, ""));
		statements.forEach((name, sql) -> {
			String plan = this.database.explain(sql);
			writeFile("plan-" + name.replaceAll("[^a-z0-9]+", "-") + ".txt", sql + "\n\n" + plan);
			this.report.line("\n%s:", name);
			this.report.code(plan);
		});
	}

	private static String usageSql(String table, String tenant, Instant from, Instant to, String keys) {
		return "SELECT bucket_start" + keys + ", " + SUMS + " FROM " + table + " WHERE tenant_id = '" + tenant
				+ "' AND bucket_start >= '" + from + "' AND bucket_start < '" + to + "' GROUP BY bucket_start" + keys
				+ " ORDER BY bucket_start" + keys;
	}

	private void tables() {
		this.report.heading("Tables");
		List<List<String>> rows = new ArrayList<>();
		for (String table : List.of("usage_minute", "usage_hour", "usage_day", "seen_events", "outbox",
				"consumer_offsets")) {
			rows.add(List.of(table, Report.count(this.database.single("SELECT count(*) FROM " + table)),
					mib(this.database.single("SELECT pg_relation_size('" + table + "')")),
					mib(this.database.single("SELECT pg_indexes_size('" + table + "')")),
					mib(this.database.single("SELECT pg_total_relation_size('" + table + "')"))));
		}
		this.report.table(List.of("table", "rows", "heap MiB", "indexes MiB", "total MiB"), rows);
		this.report.line("- events counted (sum of requests in usage_day): %s; in usage_hour: %s",
				Report.count(this.database.single("SELECT coalesce(sum(requests), 0) FROM usage_day")),
				Report.count(this.database.single("SELECT coalesce(sum(requests), 0) FROM usage_hour")));
		this.report.line("- database size: %s",
				mib(this.database.single("SELECT pg_database_size(current_database())")));
	}

	private void cpuSummary(List<Sample> window, long events) {
		List<CpuMeter.Usage> usages = window.stream().map(Sample::cpu).toList();
		CpuMeter.Usage.mean(usages).ifPresent((mean) -> {
			double seconds = window.getLast().seconds() - window.getFirst().seconds() + 1;
			double perEvent = (events > 0) ? seconds * 1e6 / events / 100 : 0;
			this.report.line("- CPU, mean %% of one core (200 = both cores): metering %.0f, PostgreSQL (this "
					+ "database) %.0f, PostgreSQL background %.0f, Kafka broker %.0f, load generator %.0f, "
					+ "PostgreSQL of other databases %.0f, unattributed %.0f; machine busy %.0f, iowait %.0f, steal %.0f",
					mean.metering(), mean.postgres(), mean.postgresBackground(), mean.kafka(), mean.benchmark(),
					mean.postgresOther(), mean.unattributed(), mean.machineBusy(), mean.machineIowait(),
					mean.machineSteal());
			Map<String, Double> elsewhere = new HashMap<>();
			for (CpuMeter.Usage usage : usages) {
				int split = usage.busiestElsewhere().lastIndexOf(' ');
				if (split > 0) {
					elsewhere.merge(usage.busiestElsewhere().substring(0, split),
							Double.parseDouble(usage.busiestElsewhere().substring(split + 1)) / usages.size(),
							Double::sum);
				}
			}
			this.report.line(
					"- busiest other processes (mean %% of one core, counted in the seconds each was the "
							+ "busiest): %s",
					elsewhere.entrySet()
						.stream()
						.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
						.limit(3)
						.map((entry) -> String.format(Locale.ROOT, "%s %.1f", entry.getKey(), entry.getValue()))
						.toList());
			if (events > 0) {
				this.report.line(
						"- CPU per event: metering %.1f µs, PostgreSQL %.1f µs (+ %.1f µs background), "
								+ "Kafka broker %.1f µs",
						mean.metering() * perEvent, mean.postgres() * perEvent, mean.postgresBackground() * perEvent,
						mean.kafka() * perEvent);
			}
		});
	}

	private void batchSummary(Scrape after, @Nullable Scrape before) {
		Scrape base = (before != null) ? before : Scrape.parse("");
		double batches = delta(after, base, "tollgate_metering_batch_seconds_count", "");
		double batchSeconds = delta(after, base, "tollgate_metering_batch_seconds_sum", "");
		double counted = delta(after, base, "tollgate_metering_events_total", "result=\"counted\"");
		double duplicates = delta(after, base, "tollgate_metering_events_total", "result=\"duplicate\"");
		double deadLetters = delta(after, base, "tollgate_metering_events_total", "result=\"dead_letter\"");
		double published = delta(after, base, "tollgate_outbox_published_total", "");
		double gcSeconds = delta(after, base, "jvm_gc_pause_seconds_sum", "");
		this.report.line("- batches (tollgate_metering_batch_seconds): %s, mean %.0f ms, %s events per batch; "
				+ "p50 %.0f ms, p99 %.0f ms, max %.0f ms (recent window at the end); counted %s, duplicates %s, "
				+ "dead letters %s; outbox records published %s (%.2f per event); GC pauses %.1f s",
				Report.count(batches), (batches > 0) ? batchSeconds / batches * 1000 : 0,
				Report.count((batches > 0) ? counted / batches : 0),
				after.sum("tollgate_metering_batch_seconds", "quantile=\"0.5\"") * 1000,
				after.sum("tollgate_metering_batch_seconds", "quantile=\"0.99\"") * 1000,
				after.sum("tollgate_metering_batch_seconds_max", "") * 1000, Report.count(counted),
				Report.count(duplicates), Report.count(deadLetters), Report.count(published),
				(counted > 0) ? published / counted : 0, gcSeconds);
	}

	private static double delta(Scrape after, Scrape before, String name, String labels) {
		return after.sum(name, labels) - before.sum(name, labels);
	}

	private void databaseSummary(Map<String, Long> before, Map<String, Long> after, long events) {
		Map<String, Long> delta = new LinkedHashMap<>();
		after.forEach((key, value) -> delta.put(key, value - before.getOrDefault(key, 0L)));
		writeFile("pg-statistics-" + System.nanoTime() + ".txt", "before " + before + "\nafter " + after);
		double perEvent = Math.max(1, events);
		this.report.line("- PostgreSQL: %s commits; rows inserted %s, updated %s, deleted %s (%.1f row writes per "
				+ "event); WAL %s MiB (%.0f bytes per event, %s full-page images); checkpoints %d timed, %d requested; "
				+ "blocks read %s, hit %s", Report.count(delta.get("db.xact_commit")),
				Report.count(delta.get("db.tup_inserted")), Report.count(delta.get("db.tup_updated")),
				Report.count(delta.get("db.tup_deleted")),
				(delta.get("db.tup_inserted") + delta.get("db.tup_updated") + delta.get("db.tup_deleted")) / perEvent,
				Report.count(delta.get("wal.wal_bytes") / 1048576.0), delta.get("wal.wal_bytes") / perEvent,
				Report.count(delta.get("wal.wal_fpi")), delta.get("bgwriter.checkpoints_timed"),
				delta.get("bgwriter.checkpoints_req"), Report.count(delta.get("db.blks_read")),
				Report.count(delta.get("db.blks_hit")));
	}

	private void intervalTable(List<Sample> samples, Duration step) {
		int every = (int) step.toSeconds();
		List<List<String>> rows = new ArrayList<>();
		Sample previous = samples.getFirst();
		for (int i = every - 1; i < samples.size() + every - 1; i += every) {
			Sample sample = samples.get(Math.min(i, samples.size() - 1));
			if (sample == previous) {
				break;
			}
			double seconds = sample.seconds() - previous.seconds();
			int from = samples.indexOf(previous) + 1;
			CpuMeter.Usage cpu = CpuMeter.Usage
				.mean(samples.subList(from, samples.indexOf(sample) + 1).stream().map(Sample::cpu).toList())
				.orElse(sample.cpu());
			rows.add(
					List.of(Report.decimal(sample.seconds()), Report.count((sample.sent() - previous.sent()) / seconds),
							Report.count((sample.committed() - previous.committed()) / seconds),
							Report.count(sample.lag()), Report.count(sample.outbox()), Report.count(cpu.metering()),
							Report.count(cpu.postgres()), Report.count(cpu.postgresBackground()),
							Report.count(cpu.kafka()), Report.count(cpu.benchmark()), Report.count(cpu.machineBusy())));
			previous = sample;
		}
		this.report.table(List.of("t s", "sent/s", "committed/s", "lag", "outbox", "CPU metering", "CPU PG",
				"CPU PG bg", "CPU Kafka", "CPU load gen", "CPU machine"), rows);
	}

	/** Samples every second until the condition holds after a sample, or the timeout. */
	private List<Sample> follow(String segment, @Nullable Load load, Predicate<Sample> done, Duration timeout) {
		List<Sample> taken = new ArrayList<>();
		long start = System.nanoTime();
		for (long tick = 1;; tick++) {
			long wait = start + TimeUnit.SECONDS.toNanos(tick) - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			Sample sample = sample(segment, (System.nanoTime() - start) / 1e9, load);
			taken.add(sample);
			if (done.test(sample) || System.nanoTime() - start > timeout.toNanos()) {
				return taken;
			}
		}
	}

	private Sample sample(String segment, double seconds, @Nullable Load load) {
		long end = endOffsets();
		long committed = this.database.committed(this.group, TOPIC);
		long outbox = this.database.outboxPending();
		CpuMeter meter = this.cpu;
		CpuMeter.Usage usage = (meter != null) ? meter.sample() : new CpuMeter.Usage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "");
		Sample sample = new Sample(segment, seconds, (load != null) ? load.sent() : end, end, committed, outbox, usage);
		try {
			this.samples.write(String.format(Locale.ROOT, "%s,%.2f,%d,%d,%d,%d,%d,%s", segment, seconds, sample.sent(),
					end, committed, sample.lag(), outbox, usage.csv()));
			this.samples.newLine();
			this.samples.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return sample;
	}

	private long endOffsets() {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		IntStream.range(0, PARTITIONS).forEach((p) -> request.put(new TopicPartition(TOPIC, p), OffsetSpec.latest()));
		try {
			return this.admin.listOffsets(request)
				.all()
				.get(10, TimeUnit.SECONDS)
				.values()
				.stream()
				.mapToLong((info) -> info.offset())
				.sum();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("cannot read the usage topic's end offsets", ex);
		}
	}

	private void createTopic() throws Exception {
		this.admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
	}

	private void startMetering() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tollgate.metering.internal-token", INTERNAL_TOKEN);
		properties.put("spring.kafka.consumer.group-id", this.group);
		properties.put("tollgate.metering.cloud-events-source", "/tollgate/metering/benchmark");
		for (String set : this.options.sets()) {
			int split = set.indexOf('=');
			properties.put(set.substring(0, split), set.substring(split + 1));
		}
		String configured = System.getenv("METERING_JAVA_OPTIONS");
		List<String> jvm = new ArrayList<>(List
			.of(((configured != null && !configured.isBlank()) ? configured : MeteringProcess.DEFAULT_JVM_OPTIONS)
				.trim()
				.split("\\s+")));
		if (this.options.flag("jfr")) {
			jvm.add("-XX:StartFlightRecording=filename=" + this.directory.resolve("metering.jfr").toAbsolutePath()
					+ ",settings=profile,dumponexit=true");
		}
		MeteringProcess process = new MeteringProcess(JAR, this.kafka.bootstrapServers(), this.database.service(),
				properties, jvm, this.directory.resolve("metering.log"));
		this.metering = process;
		process.start();
		this.cpu = new CpuMeter(process.pid(), this.kafkaPid, this.database.name());
		this.report.line("- metering: packaged jar, JVM options `%s`, properties %s", String.join(" ", jvm),
				properties.entrySet()
					.stream()
					.filter((entry) -> !entry.getKey().contains("token"))
					.map((entry) -> entry.getKey() + "=" + entry.getValue())
					.toList());
	}

	private MeteringProcess running() {
		MeteringProcess process = this.metering;
		if (process == null) {
			throw new IllegalStateException("metering is not running");
		}
		return process;
	}

	private Scrape scrape(String name) {
		Scrape scrape = Scrape.parse(running().prometheus());
		writeFile("prometheus-" + name + ".txt", scrape.text());
		return scrape;
	}

	private String compression() {
		return this.options.value("compression", "none");
	}

	private void writeFile(String name, String content) {
		try {
			Files.writeString(this.directory.resolve(name), content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Sample firstReaching(List<Sample> samples, long committed) {
		return samples.stream()
			.filter((sample) -> sample.committed() >= committed)
			.findFirst()
			.orElse(samples.getLast());
	}

	/** Least-squares slope of lag over time, in events per second. */
	private static double slope(List<Sample> samples) {
		double n = samples.size();
		if (n < 2) {
			return 0;
		}
		double meanT = samples.stream().mapToDouble(Sample::seconds).sum() / n;
		double meanLag = samples.stream().mapToDouble(Sample::lag).sum() / n;
		double covariance = 0;
		double variance = 0;
		for (Sample sample : samples) {
			covariance += (sample.seconds() - meanT) * (sample.lag() - meanLag);
			variance += (sample.seconds() - meanT) * (sample.seconds() - meanT);
		}
		return covariance / variance;
	}

	private static String mib(long bytes) {
		return Report.count(bytes / 1048576.0);
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

	@Override
	public void close() throws IOException {
		MeteringProcess process = this.metering;
		if (process != null) {
			process.close();
		}
		this.admin.close(Duration.ofSeconds(5));
		this.database.close();
		this.samples.close();
	}

	/**
	 * One sample of the run.
	 *
	 * @param segment which part of the run
	 * @param seconds since the segment started
	 * @param sent records the load generator had handed to its producer (the topic's end
	 * offsets when it was not running)
	 * @param endOffsets the sum of the topic's end offsets
	 * @param committed the sum of the offsets PostgreSQL holds for metering's group
	 * @param outbox records waiting in the outbox
	 * @param cpu CPU used since the previous sample
	 */
	private record Sample(String segment, double seconds, long sent, long endOffsets, long committed, long outbox,
			CpuMeter.Usage cpu) {

		long lag() {
			return this.endOffsets - this.committed;
		}

	}

	/**
	 * The command line: a phase, then {@code --name=value} options.
	 *
	 * @param phase the phase
	 * @param values the options
	 * @param sets the {@code --set} options, in order
	 */
	private record Options(String phase, Map<String, String> values, List<String> sets) {

		static Options parse(String[] args) {
			if (args.length == 0) {
				throw new IllegalArgumentException(
						"usage: MeteringBenchmark drain|sustained|month|api [--name=value...]");
			}
			Map<String, String> values = new HashMap<>();
			List<String> sets = new ArrayList<>();
			for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
				if (!arg.startsWith("--")) {
					throw new IllegalArgumentException("options are --name=value, not " + arg);
				}
				int split = arg.indexOf('=');
				String name = (split < 0) ? arg.substring(2) : arg.substring(2, split);
				String value = (split < 0) ? "true" : arg.substring(split + 1);
				if (!OPTIONS.contains(name)) {
					throw new IllegalArgumentException("unknown option --" + name + "; known: " + OPTIONS);
				}
				if (name.equals("set")) {
					if (!value.contains("=")) {
						throw new IllegalArgumentException("--set takes key=value, not " + value);
					}
					sets.add(value);
				}
				else {
					values.put(name, value);
				}
			}
			return new Options(args[0], values, sets);
		}

		String value(String name, String fallback) {
			return this.values.getOrDefault(name, fallback);
		}

		boolean flag(String name) {
			return Boolean.parseBoolean(this.values.getOrDefault(name, "false"));
		}

		long longValue(String name, long fallback) {
			String value = this.values.get(name);
			return (value != null) ? Long.parseLong(value.replace("_", "").replace(",", "")) : fallback;
		}

		List<Integer> ints(String name, List<Integer> fallback) {
			String value = this.values.get(name);
			return (value != null) ? Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList()
					: fallback;
		}

	}

}
