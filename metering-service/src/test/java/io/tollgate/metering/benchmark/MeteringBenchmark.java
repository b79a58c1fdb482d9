package io.tollgate.metering.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import io.tollgate.contract.Topics;
import io.tollgate.testsupport.benchmark.Benchmark;
import io.tollgate.testsupport.benchmark.BenchmarkDatabase;
import io.tollgate.testsupport.benchmark.BenchmarkKafka;
import io.tollgate.testsupport.benchmark.BenchmarkOptions;
import io.tollgate.testsupport.benchmark.BenchmarkRun;
import io.tollgate.testsupport.benchmark.CpuMeter;
import io.tollgate.testsupport.benchmark.JarService;
import io.tollgate.testsupport.benchmark.Load;
import io.tollgate.testsupport.benchmark.Report;
import io.tollgate.testsupport.benchmark.Samples;
import io.tollgate.testsupport.benchmark.Scrape;
import io.tollgate.testsupport.benchmark.ServiceSql;
import io.tollgate.testsupport.benchmark.Tenants;
import org.jspecify.annotations.Nullable;

/**
 * The metering service's throughput, consumer lag and usage API latency, measured with
 * the real Kafka broker and PostgreSQL of test-support and the service run from its
 * packaged jar. Not a test; run it with {@code bin/benchmark-metering} as
 * docs/benchmarks.md says. The machinery (service process, CPU meter, database probes,
 * load generator, report) is test-support's {@code io.tollgate.testsupport.benchmark};
 * what is metering's own is here: the event mix, the phases and the usage API queries.
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
 * {@value JarService#DEFAULT_JVM_OPTIONS}.
 */
public final class MeteringBenchmark implements Benchmark {

	private static final String INTERNAL_TOKEN = "benchmark-internal-token-0123456789abcdef";

	private static final int PARTITIONS = 12;

	private static final String TOPIC = Topics.USAGE.name();

	private static final Path JAR = Path.of("metering-service", "target", "metering-service-0.1.0-SNAPSHOT.jar");

	private static final String METERING = "metering";

	private static final String KAFKA = "Kafka broker";

	private static final Set<String> OPTIONS = Set.of("events", "rates", "seconds", "warmup-rate", "warmup-seconds",
			"days", "keep-database", "database", "warmup", "requests", "compression", "out", "jfr", "seed",
			"timeout-minutes");

	/**
	 * The SQL text of the sums in {@code UsageStore}, read from it, so that the plans are
	 * of its query.
	 */
	private static final String SUMS = ServiceSql.constant("io.tollgate.metering.usage.UsageStore", "SUMS");

	private final BenchmarkOptions options;

	private final BenchmarkRun run;

	private final Report report;

	private final BenchmarkKafka kafka;

	private final BenchmarkDatabase database;

	private final String group;

	private final EventMix mix;

	private final CpuMeter cpu;

	private final BenchmarkRun.Csv samples;

	private @Nullable JarService metering;

	private MeteringBenchmark(BenchmarkOptions options) {
		this.options = options;
		this.run = BenchmarkRun.create(Path.of(options.value("out", "metering-service/target/benchmark")),
				"Metering benchmark", options.phase());
		this.report = this.run.report();
		this.kafka = BenchmarkKafka.start();
		String existing = options.value("database", "");
		this.database = existing.isEmpty() ? BenchmarkDatabase.create(options.phase(), options.flag("keep-database"))
				: BenchmarkDatabase.existing(existing);
		this.group = "metering-benchmark-" + this.run.stamp();
		this.mix = new EventMix(options.longValue("seed", 20261123));
		this.mix.selfCheck(2_000);
		this.cpu = new CpuMeter(List.of(METERING, KAFKA), Map.of(METERING, this.database.name()));
		this.cpu.track(KAFKA, this.kafka.brokerPid());
		this.samples = this.run.csv("samples.csv",
				"segment,t_s,sent,end_offsets,committed,lag,outbox_pending," + this.cpu.csvHeader());
	}

	public static void main(String[] args) {
		Benchmark.main(args, OPTIONS, "MeteringBenchmark drain|sustained|month|api [--name=value...]",
				MeteringBenchmark::new);
	}

	@Override
	public void run() throws Exception {
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
		this.report.line("\nRaw data: %s", this.run.directory());
	}

	private void describeSetup() {
		this.run.describeSetup(this.kafka.service(), this.database);
		this.report.line("- usage topic: %d partitions, producer compression %s, acks=all", PARTITIONS,
				this.options.compression());
		this.mix.describe().forEach((key, value) -> this.report.line("- event mix, %s: %s", key, value));
		this.report.line("- share of events per partition (keyed by tenant): %s",
				this.mix.tenants().partitionShares(PARTITIONS));
	}

	private void drain(long events, Duration step, @Nullable Duration days) throws Exception {
		this.kafka.createTopic(TOPIC, PARTITIONS);
		Instant now = Instant.now();
		Instant hourEnd = now.truncatedTo(ChronoUnit.HOURS);
		long first = (days != null) ? hourEnd.minus(days).toEpochMilli() : 0;
		long span = (days != null) ? now.minusSeconds(120).toEpochMilli() - first : 0;
		this.report.heading("Backlog");
		try (Load load = load()) {
			Duration took = load.backlog(events,
					(days != null) ? (i) -> first + (i * span) / events : (i) -> System.currentTimeMillis());
			this.report.line("- published %s events in %.1f s (%s events/s) before metering started; completed_at %s",
					Report.count(events), took.toMillis() / 1e3, Report.count(events / (took.toMillis() / 1e3)),
					(days != null) ? "in time order from " + Instant.ofEpochMilli(first) + " to "
							+ Instant.ofEpochMilli(first + span) : "the time of publishing");
		}
		long total = this.kafka.endOffsets(TOPIC);
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
		this.report.heading("Drain");
		Samples.Throughput rate = Samples.throughput(drained, Sample::committed, total);
		this.report.line("%s", rate.describe("events", "committed"));
		double sinceLaunch = (System.nanoTime() - launched) / 1e9;
		double relaySeconds = relay.isEmpty() ? 0 : relay.getLast().seconds();
		this.report.line("- from launch to the last commit: %.1f s; outbox empty %.1f s after the last commit",
				sinceLaunch - relaySeconds, relaySeconds);
		CpuMeter.summarize(this.report, Samples.cpu(drained.subList(Math.min(1, drained.size() - 1), drained.size())),
				total - rate.first(), "event");
		batchSummary(scrape, Scrape.EMPTY);
		databaseSummary(before, after, total);
		intervalTable(drained, step);
	}

	private void sustained() throws Exception {
		this.kafka.createTopic(TOPIC, PARTITIONS);
		List<Integer> rates = this.options.ints("rates", List.of(50_000, 25_000));
		int seconds = (int) this.options.longValue("seconds", 90);
		int warmupRate = (int) this.options.longValue("warmup-rate", 20_000);
		int warmupSeconds = (int) this.options.longValue("warmup-seconds", 30);
		startMetering();
		try (Load load = load()) {
			this.report.heading("Warm-up");
			List<Sample> warm = load.openLoop(warmupRate, Duration.ofSeconds(warmupSeconds),
					(running) -> follow("warm-up", load, (sample) -> !running.getAsBoolean() && sample.lag() == 0,
							Duration.ofSeconds(warmupSeconds + 300)));
			this.report.line("- %d s at %s events/s, then until lag was zero: %.0f s in all", warmupSeconds,
					Report.count(warmupRate), warm.getLast().seconds());
			for (int rate : rates) {
				follow("settle", load, (sample) -> sample.outbox() == 0, Duration.ofSeconds(120));
				Scrape scrapeBefore = scrape("before-" + rate);
				Map<String, Long> before = this.database.statistics();
				List<Sample> during = load.openLoop(rate, Duration.ofSeconds(seconds),
						(running) -> follow("rate " + rate, load, (sample) -> !running.getAsBoolean(),
								Duration.ofSeconds(seconds + 60)));
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
		double slope = Samples.slope(secondHalf, Sample::lag);
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
		CpuMeter.summarize(this.report, Samples.cpu(secondHalf),
				secondHalf.getLast().committed() - secondHalf.getFirst().committed(), "event");
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
		JarService service = running();
		Instant hourTo = Instant.ofEpochSecond(
				this.database.single("SELECT extract(epoch FROM max(bucket_start))::bigint FROM usage_hour"));
		Instant hourFrom = hourTo.minus(Duration.ofDays(30));
		Instant dayTo = Instant
			.ofEpochSecond(this.database.single("SELECT extract(epoch FROM max(bucket_start))::bigint FROM usage_day"));
		Instant dayFrom = dayTo.minus(Duration.ofDays(30));
		Tenants tenants = this.mix.tenants();
		String largest = tenants.id(0);
		String median = tenants.id(tenants.median());
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
				tenants.share(0) * 100, median, tenants.share(tenants.median()) * 100);
		UsageApiLatency api = new UsageApiLatency(service.baseUrl(), INTERNAL_TOKEN);
		List<List<String>> rows = new ArrayList<>();
		BenchmarkRun.Csv raw = this.run.csv("usage-api-latency.csv", "query,request,millis");
		for (Map.Entry<String, String> query : queries.entrySet()) {
			UsageApiLatency.Result result = api.measure(query.getKey(), query.getValue(), warmup, requests);
			long[] nanos = result.latencies().nanos();
			for (int i = 0; i < nanos.length; i++) {
				raw.row("\"" + result.name() + "\"," + i + "," + nanos[i] / 1e6);
			}
			List<String> row = new ArrayList<>(List.of(result.name(), Integer.toString(result.buckets()),
					Integer.toString(result.results()), Report.count(result.requests()), Report.count(result.bytes())));
			row.addAll(result.latencies().cells().subList(1, 6));
			rows.add(row);
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
			this.run.write("plan-" + name.replaceAll("[^a-z0-9]+", "-") + ".txt", sql + "\n\n" + plan);
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
		this.report.table(BenchmarkDatabase.TABLE_SIZE_HEADER, this.database.tableSizes(
				List.of("usage_minute", "usage_hour", "usage_day", "seen_events", "outbox", "consumer_offsets")));
		this.report.line("- events counted (sum of requests in usage_day): %s; in usage_hour: %s",
				Report.count(this.database.single("SELECT coalesce(sum(requests), 0) FROM usage_day")),
				Report.count(this.database.single("SELECT coalesce(sum(requests), 0) FROM usage_hour")));
		this.report.line("- database size: %s",
				Report.mib(this.database.single("SELECT pg_database_size(current_database())")));
	}

	private void batchSummary(Scrape after, Scrape before) {
		double counted = after.since(before, "tollgate_metering_events_total", "result=\"counted\"");
		double published = after.since(before, "tollgate_outbox_published_total", "");
		this.report.line(
				"- tollgate_metering_batch_seconds: %s; counted %s, duplicates %s, dead letters %s; outbox "
						+ "records published %s (%.2f per event); GC pauses %.1f s",
				after.describeBatches(before, "tollgate_metering_batch_seconds", counted, "events"),
				Report.count(counted),
				Report.count(after.since(before, "tollgate_metering_events_total", "result=\"duplicate\"")),
				Report.count(after.since(before, "tollgate_metering_events_total", "result=\"dead_letter\"")),
				Report.count(published), (counted > 0) ? published / counted : 0,
				after.since(before, "jvm_gc_pause_seconds_sum", ""));
	}

	private void databaseSummary(Map<String, Long> before, Map<String, Long> after, long events) {
		this.run.write("pg-statistics-" + System.nanoTime() + ".txt", "before " + before + "\nafter " + after);
		this.report.line("- %s", new BenchmarkDatabase.Activity(before, after).describe("PostgreSQL", events, "event"));
	}

	private void intervalTable(List<Sample> samples, Duration step) {
		Map<String, Function<Samples.Window<Sample>, String>> columns = new LinkedHashMap<>();
		columns.put("sent/s", (window) -> Report.count(window.rate(Sample::sent)));
		columns.put("committed/s", (window) -> Report.count(window.rate(Sample::committed)));
		columns.put("lag", (window) -> Report.count(window.end().lag()));
		columns.put("outbox", (window) -> Report.count(window.end().outbox()));
		Samples.intervalTable(this.report, samples, step, columns);
	}

	/** Samples every second until the condition holds after a sample, or the timeout. */
	private List<Sample> follow(String segment, @Nullable Load load, Predicate<Sample> done, Duration timeout) {
		return Samples.everySecond((seconds) -> sample(segment, seconds, load), done, timeout);
	}

	private Sample sample(String segment, double seconds, @Nullable Load load) {
		long end = this.kafka.endOffsets(TOPIC);
		long committed = this.database.committed(this.group, TOPIC);
		long outbox = this.database.outboxPending();
		CpuMeter.Usage usage = this.cpu.sample();
		Sample sample = new Sample(segment, seconds, (load != null) ? load.sent() : end, end, committed, outbox, usage);
		this.samples.row(String.format(Locale.ROOT, "%s,%.2f,%d,%d,%d,%d,%d,%s", segment, seconds, sample.sent(), end,
				committed, sample.lag(), outbox, usage.csv()));
		return sample;
	}

	private void startMetering() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tollgate.service.internal-token", INTERNAL_TOKEN);
		properties.put("spring.kafka.consumer.group-id", this.group);
		properties.put("tollgate.metering.cloud-events-source", "/tollgate/metering/benchmark");
		properties.putAll(this.options.properties());
		JarService process = new JarService(METERING, JAR, this.kafka.bootstrapServers(), this.database.service(),
				properties,
				JarService.jvmOptions("METERING_JAVA_OPTIONS",
						this.options.flag("jfr") ? this.run.file("metering.jfr") : null),
				this.run.file("metering.log"));
		this.metering = process;
		process.start();
		this.cpu.track(METERING, process.pid());
		this.cpu.sample();
		this.report.line("- %s", process.describe());
	}

	private JarService running() {
		JarService process = this.metering;
		if (process == null) {
			throw new IllegalStateException("metering is not running");
		}
		return process;
	}

	private Scrape scrape(String name) {
		Scrape scrape = running().scrape();
		this.run.write("prometheus-" + name + ".txt", scrape.text());
		return scrape;
	}

	private Load load() {
		return new Load(this.mix, this.kafka.bootstrapServers(), this.options.compression(), "metering-benchmark-load");
	}

	@Override
	public void close() throws Exception {
		JarService process = this.metering;
		if (process != null) {
			process.close();
		}
		this.kafka.close();
		this.database.close();
		this.run.close();
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
			CpuMeter.Usage cpu) implements Samples.Timed {

		long lag() {
			return this.endOffsets - this.committed;
		}

	}

}
