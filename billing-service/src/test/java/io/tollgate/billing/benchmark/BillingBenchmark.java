package io.tollgate.billing.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.testsupport.benchmark.Benchmark;
import io.tollgate.testsupport.benchmark.BenchmarkDatabase;
import io.tollgate.testsupport.benchmark.BenchmarkKafka;
import io.tollgate.testsupport.benchmark.BenchmarkOptions;
import io.tollgate.testsupport.benchmark.BenchmarkRun;
import io.tollgate.testsupport.benchmark.CpuMeter;
import io.tollgate.testsupport.benchmark.HttpLatency;
import io.tollgate.testsupport.benchmark.JarService;
import io.tollgate.testsupport.benchmark.Load;
import io.tollgate.testsupport.benchmark.RecordSource;
import io.tollgate.testsupport.benchmark.Report;
import io.tollgate.testsupport.benchmark.Samples;
import io.tollgate.testsupport.benchmark.Scrape;
import io.tollgate.testsupport.benchmark.ServiceSql;
import io.tollgate.testsupport.benchmark.Tenants;
import org.jspecify.annotations.Nullable;

/**
 * The billing service's pricing throughput, the whole pipeline's (metering and billing)
 * and the latency of {@code GET /v1/spend/current} under load, measured with the real
 * Kafka broker and PostgreSQL of test-support and the services run from their packaged
 * jars. Not a test; run it with {@code bin/benchmark-billing} as docs/benchmarks.md says.
 * The machinery is test-support's {@code io.tollgate.testsupport.benchmark}, shared with
 * the metering benchmark.
 *
 * <p>
 * Phases (the first argument):
 * <ul>
 * <li>{@code drain}: publishes a backlog of metered-usage deltas ({@code --deltas},
 * 1,000,000; {@link DeltaMix}, minute buckets in time order over the current month so
 * far) while billing is not running, then starts it and follows, every second, how much
 * of the topic billing's {@code consumer_offsets} (PostgreSQL) say is committed, until
 * all of it is.</li>
 * <li>{@code pipeline}: publishes a backlog of usage events ({@code --events}, 3,000,000;
 * metering's own event mix, completed at the time of publishing) with both services
 * stopped, starts billing, then metering, each with its own database, and follows both
 * until metering has committed every event and relayed every delta and billing has priced
 * all of them: usage events per second end to end, and each stage's rate. With
 * {@code --rate}: both services run while usage events are published open loop at that
 * rate for {@code --seconds} (90) after a warm-up, and both lags are followed (bounded or
 * growing).</li>
 * <li>{@code spend-api}: {@code GET /v1/spend/current} latency for the largest and the
 * median tenant, sequential over one kept-alive connection, while billing prices under
 * load, then idle: under load is the {@code drain} phase, or with {@code --rate} an
 * open-loop stream of deltas at that rate for {@code --seconds} (120) after a 30 s
 * warm-up.</li>
 * </ul>
 * Every phase starts its own broker and databases. Common options: {@code --compression}
 * (none), {@code --jfr} (record billing with Flight Recorder), {@code --set=key=value} (a
 * billing property, repeatable), {@code --out} (billing-service/target/benchmark),
 * {@code --step} (seconds per row of the interval tables, 10), {@code --warmup} and
 * {@code --requests} (idle spend requests per tenant, 100 and 1,000). Billing's JVM
 * options come from {@code BILLING_JAVA_OPTIONS}, metering's from
 * {@code METERING_JAVA_OPTIONS}, by default {@value JarService#DEFAULT_JVM_OPTIONS}.
 */
public final class BillingBenchmark implements Benchmark {

	private static final String INTERNAL_TOKEN = "benchmark-internal-token-0123456789abcdef";

	private static final int PARTITIONS = 12;

	private static final String METERED = Topics.METERED_USAGE.name();

	private static final String USAGE = Topics.USAGE.name();

	private static final Path BILLING_JAR = Path.of("billing-service", "target", "billing-service-0.1.0-SNAPSHOT.jar");

	private static final Path METERING_JAR = Path.of("metering-service", "target",
			"metering-service-0.1.0-SNAPSHOT.jar");

	/**
	 * Metering's benchmark event mix, from metering's test classes, which
	 * {@code bin/benchmark-billing} puts on the class path: test sources of one module
	 * are not a dependency of another's.
	 */
	private static final String USAGE_EVENTS = "io.tollgate.metering.benchmark.EventMix";

	private static final String BILLING = "billing";

	private static final String METERING = "metering";

	private static final String KAFKA = "Kafka broker";

	private static final Set<String> OPTIONS = Set.of("deltas", "events", "rate", "seconds", "warmup", "requests",
			"compression", "out", "jfr", "seed", "timeout-minutes", "step");

	private static final List<String> TABLES = List.of("priced_deltas", "ledger_entries", "spend_hour", "period_totals",
			"spend_dirty", "outbox", "consumer_offsets");

	private final BenchmarkOptions options;

	private final BenchmarkRun run;

	private final Report report;

	private final BenchmarkKafka kafka;

	private final BenchmarkDatabase billingDatabase;

	private final @Nullable BenchmarkDatabase meteringDatabase;

	private final String billingGroup;

	private final String meteringGroup;

	private final DeltaMix deltas;

	private final CpuMeter cpu;

	private final BenchmarkRun.Csv samples;

	private final List<JarService> services = new ArrayList<>();

	private BillingBenchmark(BenchmarkOptions options) {
		boolean pipeline = options.phase().equals("pipeline");
		this.options = options;
		this.kafka = BenchmarkKafka.start();
		this.run = BenchmarkRun.create(Path.of(options.value("out", "billing-service/target/benchmark")),
				"Billing benchmark", options.phase());
		this.report = this.run.report();
		this.billingDatabase = BenchmarkDatabase.create(BILLING, false);
		this.meteringDatabase = pipeline ? BenchmarkDatabase.create(METERING, false) : null;
		this.billingGroup = "billing-benchmark-" + this.run.stamp();
		this.meteringGroup = "metering-benchmark-" + this.run.stamp();
		this.deltas = new DeltaMix(options.longValue("seed", 20261123));
		this.deltas.selfCheck(2_000);
		Map<String, String> databases = new LinkedHashMap<>();
		if (this.meteringDatabase != null) {
			databases.put(METERING, this.meteringDatabase.name());
		}
		databases.put(BILLING, this.billingDatabase.name());
		this.cpu = new CpuMeter(pipeline ? List.of(METERING, BILLING, KAFKA) : List.of(BILLING, KAFKA), databases);
		this.cpu.track(KAFKA, this.kafka.brokerPid());
		this.samples = this.run.csv("samples.csv", "segment,t_s,sent,usage_end,usage_committed,metering_outbox,"
				+ "deltas,priced,billing_lag,billing_outbox," + this.cpu.csvHeader());
	}

	public static void main(String[] args) {
		Benchmark.main(args, OPTIONS, "BillingBenchmark drain|pipeline|spend-api [--name=value...]",
				BillingBenchmark::new);
	}

	@Override
	public void run() throws Exception {
		this.run.describeSetup(this.kafka.service(), this.billingDatabase);
		switch (this.options.phase()) {
			case "drain" -> drain(false);
			case "spend-api" -> {
				if (this.options.values().containsKey("rate")) {
					openLoop();
				}
				else {
					drain(true);
				}
			}
			case "pipeline" -> pipeline();
			default -> throw new IllegalArgumentException(
					"unknown phase " + this.options.phase() + " (drain, pipeline, spend-api)");
		}
		this.report.line("\nRaw data: %s", this.run.directory());
	}

	private void describeDeltas() {
		this.kafka.createTopic(METERED, PARTITIONS);
		this.report.line("- metered-usage topic: %d partitions, producer compression %s, acks=all", PARTITIONS,
				this.options.compression());
		this.deltas.describe().forEach((key, value) -> this.report.line("- delta mix, %s: %s", key, value));
		this.report.line("- share of deltas per partition (keyed by tenant): %s",
				this.deltas.tenants().partitionShares(PARTITIONS));
	}

	private void drain(boolean probeSpend) throws Exception {
		long count = this.options.longValue("deltas", 1_000_000);
		describeDeltas();
		Instant now = Instant.now();
		long first = now.atZone(ZoneOffset.UTC)
			.withDayOfMonth(1)
			.truncatedTo(ChronoUnit.DAYS)
			.toInstant()
			.toEpochMilli();
		long span = now.minusSeconds(120).toEpochMilli() - first;
		this.report.heading("Backlog");
		try (Load load = new Load(this.deltas, this.kafka.bootstrapServers(), this.options.compression(),
				"billing-benchmark-load")) {
			Duration took = load.backlog(count, (i) -> first + (i * span) / count);
			this.report.line(
					"- published %s deltas in %.1f s (%s deltas/s) before billing started; minute buckets in time "
							+ "order from %s to %s (the current month so far, UTC)",
					Report.count(count), took.toMillis() / 1e3, Report.count(count / (took.toMillis() / 1e3)),
					Instant.ofEpochMilli(first), Instant.ofEpochMilli(first + span));
		}
		long total = this.kafka.endOffsets(METERED);
		if (total != count) {
			throw new IllegalStateException("the topic holds " + total + " records, expected " + count);
		}
		Map<String, Long> before = this.billingDatabase.statistics();
		long launched = System.nanoTime();
		JarService billing = startBilling();
		this.report.line("- billing ready %.1f s after launch (it consumes from before readiness)",
				(System.nanoTime() - launched) / 1e9);
		SpendProbe probe = probeSpend ? probe(billing) : null;
		if (probe != null) {
			probe.start(this.run.csv("spend-under-load.csv", "tenant,t_s,millis"));
		}
		Duration timeout = Duration.ofMinutes(this.options.longValue("timeout-minutes", 60));
		List<Sample> drained = follow("drain", null, (sample) -> sample.priced() >= total, timeout);
		Map<String, HttpLatency.Latencies> underLoad = (probe != null) ? probe.stop() : Map.of();
		double pricedAt = (System.nanoTime() - launched) / 1e9;
		List<Sample> settle = follow("spend updates", null, this::spendUpdatesPublished, Duration.ofMinutes(5));
		Scrape scrape = scrape(billing, "end");
		Map<String, Long> after = this.billingDatabase.statistics();
		this.report.heading("Drain");
		Samples.Throughput rate = Samples.throughput(drained, Sample::priced, total);
		this.report.line("%s", rate.describe("deltas", "priced"));
		this.report.line(
				"- from launch to the last commit: %.1f s; spend updates of every tenant published "
						+ "(spend_dirty and outbox empty) %.1f s after the last commit",
				pricedAt, settle.getLast().seconds());
		CpuMeter.summarize(this.report, Samples.cpu(drained.subList(Math.min(1, drained.size() - 1), drained.size())),
				total - rate.first(), "delta");
		billingSummary(scrape, Scrape.EMPTY);
		ledgerSummary(total);
		this.report.line("- %s",
				new BenchmarkDatabase.Activity(before, after).describe("PostgreSQL (billing)", total, "delta"));
		this.run.write("pg-statistics-drain.txt", "before " + before + "\nafter " + after);
		billingIntervals(drained);
		if (probe != null) {
			spendLatency(probe, underLoad, "from billing's readiness until it had priced the backlog");
		}
		tables();
	}

	/** spend-api with --rate: an open-loop stream of deltas while the probe runs. */
	private void openLoop() throws Exception {
		int rate = (int) this.options.longValue("rate", 2_000);
		int seconds = (int) this.options.longValue("seconds", 120);
		describeDeltas();
		JarService billing = startBilling();
		SpendProbe probe = probe(billing);
		try (Load load = new Load(this.deltas, this.kafka.bootstrapServers(), this.options.compression(),
				"billing-benchmark-load")) {
			this.report.heading("Warm-up");
			List<Sample> warm = load.openLoop(rate, Duration.ofSeconds(30), (running) -> follow("warm-up", load,
					(sample) -> !running.getAsBoolean() && sample.lag() == 0, Duration.ofSeconds(330)));
			this.report.line("- 30 s at %s deltas/s, then until lag was zero: %.0f s in all", Report.count(rate),
					warm.getLast().seconds());
			// The same rate without spend requests: what pricing live deltas costs alone.
			int from = Math.min(9, warm.size() - 2);
			int to = Math.min(29, warm.size() - 1);
			this.report.line("- from %.0f to %.0f s of the warm-up (no spend requests yet; billing's JIT still "
					+ "compiling), per delta:", warm.get(from).seconds(), warm.get(to).seconds());
			CpuMeter.summarize(this.report, Samples.cpu(warm.subList(from + 1, to + 1)),
					warm.get(to).priced() - warm.get(from).priced(), "delta");
			follow("settle", load, this::spendUpdatesPublished, Duration.ofSeconds(120));
			Scrape scrapeBefore = scrape(billing, "before");
			Map<String, Long> before = this.billingDatabase.statistics();
			probe.start(this.run.csv("spend-under-load.csv", "tenant,t_s,millis"));
			List<Sample> during = load.openLoop(rate, Duration.ofSeconds(seconds), (running) -> follow("rate " + rate,
					load, (sample) -> !running.getAsBoolean(), Duration.ofSeconds(seconds + 60)));
			Map<String, HttpLatency.Latencies> underLoad = probe.stop();
			List<Sample> recovery = follow("recovery", load, (sample) -> sample.lag() == 0, Duration.ofSeconds(240));
			Scrape scrapeAfter = scrape(billing, "after");
			Map<String, Long> after = this.billingDatabase.statistics();
			this.report.heading("Open loop at " + Report.count(rate) + " deltas/s for " + seconds + " s");
			Sample first = during.getFirst();
			Sample last = during.getLast();
			double span = last.seconds() - first.seconds();
			boolean recovered = !recovery.isEmpty() && recovery.getLast().lag() == 0;
			this.report.line(
					"- offered %s deltas/s, sent %s deltas/s (bucket: the minute of sending); billing priced "
							+ "**%s deltas/s**",
					Report.count(rate), Report.count((last.sent() - first.sent()) / span),
					Report.count((last.priced() - first.priced()) / span));
			this.report.line("- lag: max %s deltas, at the end of the schedule %s; back to zero %s after the schedule",
					Report.count(during.stream().mapToLong(Sample::lag).max().orElse(0)), Report.count(last.lag()),
					recovered ? Report.decimal(recovery.getLast().seconds()) + " s" : "**not** within 240 s");
			CpuMeter.summarize(this.report, Samples.cpu(during.subList(1, during.size())),
					last.priced() - first.priced(), "delta");
			billingSummary(scrapeAfter, scrapeBefore);
			this.report.line("- %s", new BenchmarkDatabase.Activity(before, after).describe("PostgreSQL (billing)",
					last.priced() - first.priced(), "delta"));
			billingIntervals(during);
			spendLatency(probe, underLoad, "over the measured open-loop schedule");
		}
		tables();
	}

	private void pipeline() throws Exception {
		BenchmarkDatabase metering = requireMeteringDatabase();
		long events = this.options.longValue("events", 3_000_000);
		this.kafka.createTopic(USAGE, PARTITIONS);
		this.kafka.createTopic(METERED, PARTITIONS);
		RecordSource usage = usageEvents(this.options.longValue("seed", 20261123));
		usage.selfCheck(2_000);
		this.report.line("- usage and metered-usage topics: %d partitions each, producer compression %s, acks=all",
				PARTITIONS, this.options.compression());
		usage.describe().forEach((key, value) -> this.report.line("- event mix (metering's), %s: %s", key, value));
		this.report.line("- databases: metering %s, billing %s, on the same server", metering.name(),
				this.billingDatabase.name());
		if (this.options.values().containsKey("rate")) {
			pipelineOpenLoop(metering, usage);
			return;
		}
		this.report.heading("Backlog");
		try (Load load = new Load(usage, this.kafka.bootstrapServers(), this.options.compression(),
				"billing-benchmark-usage")) {
			Duration took = load.backlog(events, (i) -> System.currentTimeMillis());
			this.report.line(
					"- published %s usage events in %.1f s (%s events/s) with both services stopped; "
							+ "completed_at the time of publishing",
					Report.count(events), took.toMillis() / 1e3, Report.count(events / (took.toMillis() / 1e3)));
		}
		if (this.kafka.endOffsets(USAGE) != events) {
			throw new IllegalStateException("the usage topic does not hold " + events + " records");
		}
		Map<String, Long> meteringBefore = metering.statistics();
		Map<String, Long> billingBefore = this.billingDatabase.statistics();
		JarService billing = startBilling();
		long launched = System.nanoTime();
		JarService meteringService = startMetering(metering);
		this.report.line("- billing started first (idle until deltas arrive); metering ready %.1f s after launch",
				(System.nanoTime() - launched) / 1e9);
		Duration timeout = Duration.ofMinutes(this.options.longValue("timeout-minutes", 60));
		List<Sample> all = follow("pipeline", null, (sample) -> sample.usageCommitted() >= events
				&& sample.meteringOutbox() == 0 && sample.deltas() > 0 && sample.priced() >= sample.deltas(), timeout);
		double sinceLaunch = (System.nanoTime() - launched) / 1e9;
		Scrape meteringScrape = scrape(meteringService, "metering-end");
		Scrape billingScrape = scrape(billing, "billing-end");
		Map<String, Long> meteringAfter = metering.statistics();
		Map<String, Long> billingAfter = this.billingDatabase.statistics();
		this.run.write("pg-statistics-pipeline.txt", "metering before " + meteringBefore + "\nmetering after "
				+ meteringAfter + "\nbilling before " + billingBefore + "\nbilling after " + billingAfter);
		this.report.heading("Pipeline");
		Sample first = all.getFirst();
		Sample last = all.getLast();
		if (last.priced() < last.deltas() || last.usageCommitted() < events) {
			this.report.line("**Timed out**: metering committed %s of %s events, billing priced %s of %s deltas",
					Report.count(last.usageCommitted()), Report.count(events), Report.count(last.priced()),
					Report.count(last.deltas()));
		}
		double seconds = last.seconds() - first.seconds();
		this.report.line("- %s usage events; from the first sample after metering's readiness (%s events already "
				+ "committed then) until billing had priced every delta metering published: %.1f s, **%s events/s "
				+ "end to end**; from metering's launch: %.1f s, %s events/s", Report.count(events),
				Report.count(first.usageCommitted()), seconds,
				Report.count((events - first.usageCommitted()) / seconds), sinceLaunch,
				Report.count(events / sinceLaunch));
		int meteringDone = all.indexOf(Samples.firstReaching(all, Sample::usageCommitted, events));
		Sample committed = all.get(meteringDone);
		Samples.Throughput meteringRate = Samples.throughput(all.subList(0, meteringDone + 1), Sample::usageCommitted,
				events);
		Sample relayed = Samples.firstReaching(all.subList(meteringDone, all.size()),
				(sample) -> (sample.meteringOutbox() == 0) ? 1 : 0, 1);
		this.report.line(
				"- metering stage: every event committed %.1f s after the first sample, %s events/s; %s "
						+ "events/s over the middle 80 %%; its outbox empty (every delta published) at %.1f s",
				committed.seconds() - first.seconds(), Report.count(meteringRate.overall()),
				Report.count(meteringRate.middle()), relayed.seconds() - first.seconds());
		long deltaCount = last.deltas();
		this.report.line("- metered-usage deltas published by metering: %s (%.3f per event)", Report.count(deltaCount),
				deltaCount / (double) events);
		double meteringSpan = Math.max(1e-9, committed.seconds() - first.seconds());
		double tailSpan = last.seconds() - committed.seconds();
		this.report.line(
				"- billing stage: %s deltas priced, %s deltas/s while metering drained (behind metering's "
						+ "published deltas by at most %s); billing done %.1f s after metering's last commit%s",
				Report.count(last.priced()), Report.count((committed.priced() - first.priced()) / meteringSpan),
				Report.count(all.stream().mapToLong(Sample::lag).max().orElse(0)), tailSpan,
				(tailSpan >= 5) ? String.format(Locale.ROOT, ", at %s deltas/s meanwhile",
						Report.count((last.priced() - committed.priced()) / tailSpan)) : "");
		List<Sample> measured = all.subList(Math.min(1, all.size() - 1), all.size());
		this.report.line("- whole run, per usage event:");
		CpuMeter.summarize(this.report, Samples.cpu(measured), events - first.usageCommitted(), "event");
		if (all.size() - meteringDone > 3) {
			this.report.line("- after metering's last commit (billing alone catching up), per delta:");
			CpuMeter.summarize(this.report, Samples.cpu(all.subList(meteringDone + 1, all.size())),
					last.priced() - committed.priced(), "delta");
		}
		meteringSummary(meteringScrape, Scrape.EMPTY);
		billingSummary(billingScrape, Scrape.EMPTY);
		ledgerSummary(deltaCount);
		this.report.line("- %s", new BenchmarkDatabase.Activity(meteringBefore, meteringAfter)
			.describe("PostgreSQL (metering)", events, "event"));
		BenchmarkDatabase.Activity billingActivity = new BenchmarkDatabase.Activity(billingBefore, billingAfter);
		this.report.line("- %s", billingActivity.describe("PostgreSQL (billing)", deltaCount, "delta"));
		this.report.line("- (WAL and checkpoints are the server's, both databases together; row writes per usage "
				+ "event in billing: %.2f)", billingActivity.rowWrites() / (double) events);
		pipelineIntervals(all);
	}

	/**
	 * The pipeline under live traffic: both services run, usage events are published open
	 * loop at {@code --rate} for {@code --seconds} after a warm-up, and both lags are
	 * followed: metering's (usage events not committed) and billing's (deltas not
	 * priced).
	 */
	private void pipelineOpenLoop(BenchmarkDatabase metering, RecordSource usage) throws Exception {
		int rate = (int) this.options.longValue("rate", 25_000);
		int seconds = (int) this.options.longValue("seconds", 90);
		int warmupRate = Math.min(rate, 20_000);
		JarService billing = startBilling();
		JarService meteringService = startMetering(metering);
		try (Load load = new Load(usage, this.kafka.bootstrapServers(), this.options.compression(),
				"billing-benchmark-usage")) {
			this.report.heading("Warm-up");
			List<Sample> warm = load.openLoop(warmupRate, Duration.ofSeconds(30), (running) -> follow("warm-up", load,
					(sample) -> !running.getAsBoolean() && sample.pipelineDrained(), Duration.ofSeconds(330)));
			this.report.line("- 30 s at %s events/s, then until both lags were zero: %.0f s in all",
					Report.count(warmupRate), warm.getLast().seconds());
			Scrape meteringBefore = scrape(meteringService, "metering-before");
			Scrape billingBefore = scrape(billing, "billing-before");
			Map<String, Long> meteringStatsBefore = metering.statistics();
			Map<String, Long> billingStatsBefore = this.billingDatabase.statistics();
			List<Sample> during = load.openLoop(rate, Duration.ofSeconds(seconds), (running) -> follow("rate " + rate,
					load, (sample) -> !running.getAsBoolean(), Duration.ofSeconds(seconds + 60)));
			List<Sample> recovery = follow("recovery", load, Sample::pipelineDrained, Duration.ofSeconds(300));
			Scrape meteringAfter = scrape(meteringService, "metering-after");
			Scrape billingAfter = scrape(billing, "billing-after");
			BenchmarkDatabase.Activity meteringActivity = new BenchmarkDatabase.Activity(meteringStatsBefore,
					metering.statistics());
			BenchmarkDatabase.Activity billingActivity = new BenchmarkDatabase.Activity(billingStatsBefore,
					this.billingDatabase.statistics());
			this.report.heading("Open loop at " + Report.count(rate) + " usage events/s for " + seconds
					+ " s, metering and billing");
			Sample first = during.getFirst();
			Sample last = during.getLast();
			double span = last.seconds() - first.seconds();
			long events = last.usageCommitted() - first.usageCommitted();
			long priced = last.priced() - first.priced();
			List<Sample> secondHalf = during.subList(during.size() / 2, during.size());
			double usageTrend = Samples.slope(secondHalf, Sample::usageLag);
			double billingTrend = Samples.slope(secondHalf, Sample::lag);
			boolean recovered = !recovery.isEmpty() && recovery.getLast().pipelineDrained();
			this.report.line(
					"- offered %s events/s, sent %s events/s; metering committed **%s events/s** and "
							+ "published %s deltas/s (%.3f per event); billing priced **%s deltas/s**",
					Report.count(rate), Report.count((last.sent() - first.sent()) / span), Report.count(events / span),
					Report.count((last.deltas() - first.deltas()) / span),
					(last.deltas() - first.deltas()) / (double) Math.max(1, events), Report.count(priced / span));
			this.report.line("- metering's lag: max %s events, %s at the end of the schedule, trend over the second "
					+ "half %+,.0f events/s; billing's lag: max %s deltas, %s at the end, trend %+,.0f deltas/s",
					Report.count(during.stream().mapToLong(Sample::usageLag).max().orElse(0)),
					Report.count(last.usageLag()), usageTrend,
					Report.count(during.stream().mapToLong(Sample::lag).max().orElse(0)), Report.count(last.lag()),
					billingTrend);
			this.report.line("- everything committed, relayed and priced %s after the schedule ended",
					recovered ? Report.decimal(recovery.getLast().seconds()) + " s" : "**not** within 300 s");
			double deltaRate = (last.deltas() - first.deltas()) / span;
			boolean bounded = recovered && usageTrend < rate * 0.02 && billingTrend < Math.max(1, deltaRate * 0.02);
			this.report.line("- verdict: lag %s", bounded ? "**bounded**" : "**grows** (the pipeline falls behind)");
			CpuMeter.summarize(this.report, Samples.cpu(secondHalf),
					secondHalf.getLast().usageCommitted() - secondHalf.getFirst().usageCommitted(), "event");
			meteringSummary(meteringAfter, meteringBefore);
			billingSummary(billingAfter, billingBefore);
			this.report.line("- %s", meteringActivity.describe("PostgreSQL (metering)", events, "event"));
			this.report.line("- %s", billingActivity.describe("PostgreSQL (billing)", priced, "delta"));
			pipelineIntervals(during);
		}
	}

	private void meteringSummary(Scrape after, Scrape before) {
		this.report.line("- metering: tollgate_metering_batch_seconds: %s; outbox records published %s",
				after.describeBatches(before, "tollgate_metering_batch_seconds",
						after.since(before, "tollgate_metering_events_total", "result=\"counted\""), "events"),
				Report.count(after.since(before, "tollgate_outbox_published_total", "")));
	}

	private void pipelineIntervals(List<Sample> samples) {
		Map<String, Function<Samples.Window<Sample>, String>> columns = new LinkedHashMap<>();
		columns.put("events committed/s", (window) -> Report.count(window.rate(Sample::usageCommitted)));
		columns.put("metering lag", (window) -> Report.count(window.end().usageLag()));
		columns.put("deltas published/s", (window) -> Report.count(window.rate(Sample::deltas)));
		columns.put("deltas priced/s", (window) -> Report.count(window.rate(Sample::priced)));
		columns.put("metering outbox", (window) -> Report.count(window.end().meteringOutbox()));
		columns.put("billing lag", (window) -> Report.count(window.end().lag()));
		Samples.intervalTable(this.report, samples, step(), columns);
	}

	private void billingIntervals(List<Sample> samples) {
		Map<String, Function<Samples.Window<Sample>, String>> columns = new LinkedHashMap<>();
		columns.put("published/s", (window) -> Report.count(window.rate(Sample::sent)));
		columns.put("priced/s", (window) -> Report.count(window.rate(Sample::priced)));
		columns.put("lag", (window) -> Report.count(window.end().lag()));
		columns.put("outbox", (window) -> Report.count(window.end().billingOutbox()));
		Samples.intervalTable(this.report, samples, step(), columns);
	}

	private void billingSummary(Scrape after, Scrape before) {
		double priced = after.since(before, "tollgate_billing_deltas_total", "result=\"priced\"");
		this.report.line(
				"- billing: tollgate_billing_batch_seconds: %s; priced %s, duplicates %s, dead letters %s; "
						+ "unpriced ledger entries %s; spend updates %s, outbox records published %s; GC pauses %.1f s",
				after.describeBatches(before, "tollgate_billing_batch_seconds", priced, "deltas"), Report.count(priced),
				Report.count(after.since(before, "tollgate_billing_deltas_total", "result=\"duplicate\"")),
				Report.count(after.since(before, "tollgate_billing_deltas_total", "result=\"dead_letter\"")),
				Report.count(after.since(before, "tollgate_billing_ledger_unpriced_entries_total", "")),
				Report.count(after.since(before, "tollgate_billing_spend_updates_total", "")),
				Report.count(after.since(before, "tollgate_outbox_published_total", "")),
				after.since(before, "jvm_gc_pause_seconds_sum", ""));
	}

	/** What the ledger holds, and whether the tenants' period totals add up to it. */
	private void ledgerSummary(long deltaCount) {
		BenchmarkDatabase db = this.billingDatabase;
		long entries = db.single("SELECT count(*) FROM ledger_entries");
		long priced = db.single("SELECT count(*) FROM priced_deltas");
		List<String> totals = db
			.rows("SELECT (SELECT coalesce(sum(amount), 0) FROM ledger_entries)::text, "
					+ "(SELECT coalesce(sum(amount), 0) FROM period_totals WHERE api_key_id = '')::text")
			.get(1);
		this.report.line("- ledger: %s entries for %s priced deltas (%.2f entries per delta; %s deltas on the topic); "
				+ "spend_hour %s rows, period_totals %s rows; unpriced entries %s; ledger total USD %s, tenants' "
				+ "period totals USD %s (%s)", Report.count(entries), Report.count(priced),
				entries / (double) Math.max(1, priced), Report.count(deltaCount),
				Report.count(db.single("SELECT count(*) FROM spend_hour")),
				Report.count(db.single("SELECT count(*) FROM period_totals")),
				Report.count(db.single("SELECT count(*) FROM ledger_entries WHERE unpriced")), totals.get(0),
				totals.get(1), totals.get(0).equals(totals.get(1)) ? "equal" : "**differ**");
	}

	private void spendLatency(SpendProbe probe, Map<String, HttpLatency.Latencies> underLoad, String when) {
		int warmup = (int) this.options.longValue("warmup", 100);
		int requests = (int) this.options.longValue("requests", 1_000);
		Map<String, HttpLatency.Latencies> idle = probe.measure(warmup, requests);
		this.report.heading("GET /v1/spend/current latency");
		this.report.line(
				"- straight to billing with the front door's admin headers (`%s`, `%s: admin`, "
						+ "`?tenant_id=`), sequential, one kept-alive connection; under load: the two tenants in turn, "
						+ "%s; idle: after the load, %d warm-up then %d measured requests per tenant; failed requests "
						+ "under load: %s",
				FrontDoorHeaders.INTERNAL_TOKEN, FrontDoorHeaders.CALLER, when, warmup, requests, probe.failures());
		Tenants tenants = this.deltas.tenants();
		this.report.line("- largest tenant %s (%.1f %% of deltas), median tenant %s (%.2f %%)", tenants.id(0),
				tenants.share(0) * 100, tenants.id(tenants.median()), tenants.share(tenants.median()) * 100);
		List<List<String>> rows = new ArrayList<>();
		underLoad.forEach((label, latencies) -> rows.add(row(label + " tenant, under load", latencies)));
		idle.forEach((label, latencies) -> rows.add(row(label + " tenant, idle", latencies)));
		List<String> header = new ArrayList<>(List.of("tenant, when"));
		header.addAll(HttpLatency.Latencies.HEADER);
		this.report.table(header, rows);
		this.report.line("- the largest tenant's answer at the end:");
		this.report.code(new String(idle.get("largest").body(), StandardCharsets.UTF_8));
		this.report.line("- plan of SpendStore's query for the largest tenant (EXPLAIN ANALYZE, BUFFERS; after the "
				+ "latency runs):");
		this.report.code(spendPlan(tenants.id(0)));
	}

	private static List<String> row(String name, HttpLatency.Latencies latencies) {
		List<String> row = new ArrayList<>(List.of(name));
		row.addAll(latencies.cells());
		return row;
	}

	/**
	 * The plan of the current-spend query: {@code SpendStore}'s own SQL text (read from
	 * its constant, so that the plan stays that of the query billing runs) with the
	 * tenant's scope and the time inlined.
	 */
	private String spendPlan(String tenant) {
		String sql;
		try {
			sql = ServiceSql.constant("io.tollgate.billing.spend.SpendStore", "CURRENT");
		}
		catch (IllegalStateException ex) {
			return "(SpendStore's SQL not found: " + ex.getMessage() + ")";
		}
		String now = "'" + Instant.now() + "'::timestamptz";
		String inlined = sql.replace(":tenants::text[]", "ARRAY['" + tenant + "']::text[]")
			.replace(":keys::text[]", "ARRAY['']::text[]")
			.replace(":now::timestamptz", now)
			.replace(":now", now);
		String plan = this.billingDatabase.explain(inlined);
		this.run.write("plan-spend-current.txt", inlined + "\n\n" + plan);
		return plan;
	}

	private void tables() {
		this.report.heading("Tables");
		this.report.table(BenchmarkDatabase.TABLE_SIZE_HEADER, this.billingDatabase.tableSizes(TABLES));
		this.report.line("- database size: %s MiB",
				Report.mib(this.billingDatabase.single("SELECT pg_database_size(current_database())")));
	}

	/** Whether every spend change has been published: no tenant marked, outbox empty. */
	private boolean spendUpdatesPublished(Sample sample) {
		return sample.billingOutbox() == 0 && this.billingDatabase.single("SELECT count(*) FROM spend_dirty") == 0;
	}

	private List<Sample> follow(String segment, @Nullable Load load, Predicate<Sample> done, Duration timeout) {
		return Samples.everySecond((seconds) -> sample(segment, seconds, load), done, timeout);
	}

	/**
	 * One sample. The reads go downstream in order (metering's commits, its outbox, the
	 * metered topic, billing's commits), so that a sample that finds metering's outbox
	 * empty also finds every delta it published on the topic.
	 */
	private Sample sample(String segment, double seconds, @Nullable Load load) {
		BenchmarkDatabase metering = this.meteringDatabase;
		long usageEnd = (metering != null) ? this.kafka.endOffsets(USAGE) : 0;
		long usageCommitted = (metering != null) ? metering.committed(this.meteringGroup, USAGE) : 0;
		long meteringOutbox = (metering != null) ? metering.outboxPending() : 0;
		long published = this.kafka.endOffsets(METERED);
		long priced = this.billingDatabase.committed(this.billingGroup, METERED);
		long billingOutbox = this.billingDatabase.outboxPending();
		CpuMeter.Usage usage = this.cpu.sample();
		Sample sample = new Sample(segment, seconds, (load != null) ? load.sent() : published, usageEnd, usageCommitted,
				meteringOutbox, published, priced, billingOutbox, usage);
		this.samples.row(String.format(Locale.ROOT, "%s,%.2f,%d,%d,%d,%d,%d,%d,%d,%d,%s", segment, seconds,
				sample.sent(), usageEnd, usageCommitted, meteringOutbox, published, priced, sample.lag(), billingOutbox,
				usage.csv()));
		return sample;
	}

	private JarService startBilling() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tollgate.service.internal-token", INTERNAL_TOKEN);
		properties.put("spring.kafka.consumer.group-id", this.billingGroup);
		properties.putAll(this.options.properties());
		return start(
				new JarService(BILLING, BILLING_JAR, this.kafka.bootstrapServers(), this.billingDatabase.service(),
						properties,
						JarService.jvmOptions("BILLING_JAVA_OPTIONS",
								this.options.flag("jfr") ? this.run.file("billing.jfr") : null),
						this.run.file("billing.log")));
	}

	private JarService startMetering(BenchmarkDatabase database) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tollgate.service.internal-token", INTERNAL_TOKEN);
		properties.put("spring.kafka.consumer.group-id", this.meteringGroup);
		properties.put("tollgate.metering.cloud-events-source", "/tollgate/metering/benchmark");
		return start(new JarService(METERING, METERING_JAR, this.kafka.bootstrapServers(), database.service(),
				properties, JarService.jvmOptions("METERING_JAVA_OPTIONS", null), this.run.file("metering.log")));
	}

	private JarService start(JarService service) {
		this.services.add(service);
		service.start();
		this.cpu.track(service.name(), service.pid());
		this.report.line("- %s", service.describe());
		return service;
	}

	private SpendProbe probe(JarService billing) {
		Tenants tenants = this.deltas.tenants();
		Map<String, String> probed = new LinkedHashMap<>();
		probed.put("largest", tenants.id(0));
		probed.put("median", tenants.id(tenants.median()));
		return new SpendProbe(billing.baseUrl(), INTERNAL_TOKEN, probed);
	}

	private Scrape scrape(JarService service, String name) {
		Scrape scrape = service.scrape();
		this.run.write("prometheus-" + name + ".txt", scrape.text());
		return scrape;
	}

	private BenchmarkDatabase requireMeteringDatabase() {
		BenchmarkDatabase database = this.meteringDatabase;
		if (database == null) {
			throw new IllegalStateException("no metering database outside the pipeline phase");
		}
		return database;
	}

	/**
	 * Metering's event mix, found by name on the class path (see {@link #USAGE_EVENTS}).
	 */
	private static RecordSource usageEvents(long seed) throws ReflectiveOperationException {
		Class<?> type;
		try {
			type = Class.forName(USAGE_EVENTS);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(USAGE_EVENTS + " is not on the class path: the pipeline phase publishes "
					+ "metering's benchmark events; run it with bin/benchmark-billing, which adds metering's test "
					+ "classes", ex);
		}
		return type.asSubclass(RecordSource.class).getConstructor(long.class).newInstance(seed);
	}

	private Duration step() {
		return Duration.ofSeconds(this.options.longValue("step", 10));
	}

	@Override
	public void close() throws Exception {
		for (JarService service : this.services.reversed()) {
			service.close();
		}
		this.kafka.close();
		this.billingDatabase.close();
		if (this.meteringDatabase != null) {
			this.meteringDatabase.close();
		}
		this.run.close();
	}

	/**
	 * One sample of the run.
	 *
	 * @param segment which part of the run
	 * @param seconds since the segment started
	 * @param sent deltas the load generator had handed to its producer (the metered
	 * topic's end offsets when it was not running)
	 * @param usageEnd the sum of the usage topic's end offsets (pipeline only)
	 * @param usageCommitted usage events metering has committed (pipeline only)
	 * @param meteringOutbox deltas waiting in metering's outbox (pipeline only)
	 * @param deltas the sum of the metered-usage topic's end offsets
	 * @param priced the sum of the offsets billing's PostgreSQL holds for its group:
	 * deltas priced (or dead-lettered)
	 * @param billingOutbox records waiting in billing's outbox (spend updates, dead
	 * letters)
	 * @param cpu CPU used since the previous sample
	 */
	private record Sample(String segment, double seconds, long sent, long usageEnd, long usageCommitted,
			long meteringOutbox, long deltas, long priced, long billingOutbox,
			CpuMeter.Usage cpu) implements Samples.Timed {

		/** Deltas on the metered-usage topic billing has not priced. */
		long lag() {
			return this.deltas - this.priced;
		}

		/** Usage events on the usage topic metering has not committed (pipeline only). */
		long usageLag() {
			return this.usageEnd - this.usageCommitted;
		}

		/** Whether the pipeline is idle: every event committed, relayed and priced. */
		boolean pipelineDrained() {
			return usageLag() == 0 && this.meteringOutbox == 0 && lag() == 0;
		}

	}

}
