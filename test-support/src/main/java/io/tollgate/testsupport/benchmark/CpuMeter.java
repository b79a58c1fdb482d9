package io.tollgate.testsupport.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * CPU time of every process on the machine that takes part in a benchmark, from
 * {@code /proc}: what each service, PostgreSQL (per database), the Kafka broker and the
 * benchmark's own JVM (the load generator) used between two samples, and what the machine
 * as a whole did, so that load from anything else (another build on the shared cores)
 * shows as "other" instead of silently slowing the run.
 *
 * <p>
 * Processes are named by labels chosen up front ({@link #CpuMeter}) and given their pids
 * when they start ({@link #track}), so that every sample has the same columns. PostgreSQL
 * processes are told apart by their titles: backends and autovacuum workers of each
 * benchmark database, the server's background processes (WAL writer, checkpointer,
 * background writer, ...), and backends of other databases.
 */
public final class CpuMeter {

	/**
	 * Linux reports process CPU time in clock ticks of 1/100 s on every supported arch.
	 */
	private static final double TICKS_PER_SECOND = 100.0;

	/**
	 * Mean CPU of work outside the benchmark, in percent of one core, above which a
	 * summary warns that someone else's work shared the cores (the kernel and small
	 * daemons stay well below).
	 */
	private static final double OTHER_WORK_WARNING = 15;

	private final Map<String, Long> pids = new LinkedHashMap<>();

	private final Map<String, String> databases;

	private final long selfPid = ProcessHandle.current().pid();

	private final Map<Long, Long> processTicks = new HashMap<>();

	private final Map<Long, String> postgresKinds = new HashMap<>();

	private Totals last;

	/**
	 * Starts measuring.
	 * @param processes the labels of the processes to follow, e.g. {@code billing},
	 * {@code Kafka broker}, in the order reports show them
	 * @param databases label to database name: whose PostgreSQL backends to count apart
	 */
	public CpuMeter(List<String> processes, Map<String, String> databases) {
		processes.forEach((label) -> this.pids.put(label, -1L));
		this.databases = new LinkedHashMap<>(databases);
		this.last = read(true);
	}

	/**
	 * Finds the Kafka broker this JVM started (test-support runs it as a child process).
	 * @return its pid, or -1 when the broker is not a child of this JVM
	 */
	public static long kafkaBrokerPid() {
		return ProcessHandle.current()
			.descendants()
			.filter((process) -> commandLine(process.pid()).contains("KafkaBrokerMain"))
			.mapToLong(ProcessHandle::pid)
			.findFirst()
			.orElse(-1);
	}

	/**
	 * Follows a process from now on: its CPU counts from the next sample.
	 * @param label one of the labels given at construction
	 * @param pid its process id
	 */
	public synchronized void track(String label, long pid) {
		if (!this.pids.containsKey(label)) {
			throw new IllegalArgumentException("unknown process label " + label + "; known: " + this.pids.keySet());
		}
		this.pids.put(label, pid);
		this.last.processes.put(label, ticks(pid));
	}

	/**
	 * The CSV columns of {@link Usage#csv()} for this meter's labels.
	 * @return the header
	 */
	public String csvHeader() {
		StringBuilder header = new StringBuilder();
		this.pids.keySet().forEach((label) -> header.append("cpu_").append(column(label)).append(','));
		this.databases.keySet().forEach((label) -> header.append("cpu_pg_").append(column(label)).append("_db,"));
		return header.append("cpu_pg_background,cpu_pg_other_db,cpu_load_generator,cpu_machine_busy,")
			.append("cpu_machine_iowait,cpu_machine_steal,cpu_unattributed,busiest_elsewhere")
			.toString();
	}

	private static String column(String label) {
		return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
	}

	/**
	 * CPU used since the previous call, per participant, in percent of one core (200 is
	 * both cores of a 2-core machine).
	 * @return the usage
	 */
	public synchronized Usage sample() {
		Totals now = read(false);
		Totals before = this.last;
		this.last = now;
		double seconds = (now.nanos - before.nanos) / 1e9;
		double machineTicks = Math.max(1, now.machineTotal - before.machineTotal);
		double machineCores = Runtime.getRuntime().availableProcessors();
		double scale = 100.0 / (TICKS_PER_SECOND * seconds);
		double busy = (now.machineBusy - before.machineBusy) / machineTicks * 100 * machineCores;
		double iowait = (now.machineIowait - before.machineIowait) / machineTicks * 100 * machineCores;
		double steal = (now.machineSteal - before.machineSteal) / machineTicks * 100 * machineCores;
		Map<String, Double> processes = new LinkedHashMap<>();
		now.processes.forEach((label, ticks) -> processes.put(label,
				Math.max(0, ticks - before.processes.getOrDefault(label, ticks)) * scale));
		Map<String, Double> postgres = new LinkedHashMap<>();
		this.databases.keySet().forEach((label) -> postgres.put(label, now.postgres.getOrDefault(label, 0L) * scale));
		double self = (now.self - before.self) * scale;
		double background = now.postgresBackground * scale;
		double other = now.postgresOther * scale;
		double known = processes.values().stream().mapToDouble(Double::doubleValue).sum()
				+ postgres.values().stream().mapToDouble(Double::doubleValue).sum() + self + background + other;
		String busiest = now.busiestName.isEmpty() ? "" : String.format(Locale.ROOT, "%s %.0f",
				now.busiestName.replaceAll("[,\\s]", "_"), now.busiestTicks * scale);
		return new Usage(processes, postgres, background, other, self, busy, iowait, steal, Math.max(0, busy - known),
				busiest);
	}

	private Totals read(boolean baseline) {
		Map<String, Long> postgres = new HashMap<>();
		long background = 0;
		long other = 0;
		Map<String, Long> elsewhere = new HashMap<>();
		Map<Long, Long> seen = new HashMap<>();
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				long pid = Long.parseLong(process.getFileName().toString());
				if (pid == this.selfPid || this.pids.containsValue(pid)) {
					continue;
				}
				String stat = read(process.resolve("stat"));
				int open = stat.indexOf('(');
				int close = stat.lastIndexOf(')');
				if (open < 0 || close < open) {
					continue;
				}
				long ticks = ticks(stat);
				seen.put(pid, ticks);
				long delta = ticks - this.processTicks.getOrDefault(pid, 0L);
				String name = stat.substring(open + 1, close);
				if (!name.equals("postgres")) {
					if (delta > 0) {
						elsewhere.merge(name, delta, Long::sum);
					}
					continue;
				}
				String kind = this.postgresKinds.computeIfAbsent(pid, this::classify);
				switch (kind) {
					case Kinds.BACKGROUND -> background += delta;
					case Kinds.OTHER -> other += delta;
					default -> postgres.merge(kind, delta, Long::sum);
				}
			}
		}
		catch (IOException ex) {
			// A process list that cannot be read leaves PostgreSQL unattributed; the
			// machine total still shows the load.
		}
		this.processTicks.clear();
		this.processTicks.putAll(seen);
		long[] machine = machine();
		Map.Entry<String, Long> busiest = elsewhere.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue())
			.orElse(Map.entry("", 0L));
		Map<String, Long> processes = new LinkedHashMap<>();
		this.pids.forEach((label, pid) -> processes.put(label, ticks(pid)));
		return baseline
				? new Totals(System.nanoTime(), processes, ticks(this.selfPid), Map.of(), 0, 0, machine[0], machine[1],
						machine[2], machine[3], "", 0)
				: new Totals(System.nanoTime(), processes, ticks(this.selfPid), postgres, background, other, machine[0],
						machine[1], machine[2], machine[3], busiest.getKey(), busiest.getValue());
	}

	private String classify(long pid) {
		String title = commandLine(pid);
		for (Map.Entry<String, String> database : this.databases.entrySet()) {
			if (title.contains(" " + database.getValue() + " ") || title.endsWith(" " + database.getValue())) {
				return database.getKey();
			}
		}
		for (String name : new String[] { "checkpointer", "background writer", "walwriter", "autovacuum launcher",
				"logical replication launcher", "archiver", "stats collector", "startup", "bin/postgres" }) {
			if (title.contains(name)) {
				return Kinds.BACKGROUND;
			}
		}
		return Kinds.OTHER;
	}

	/** utime + stime of a process, or 0 when it is gone or not started. */
	private static long ticks(long pid) {
		return (pid > 0) ? ticks(read(Path.of("/proc", Long.toString(pid), "stat"))) : 0;
	}

	private static long ticks(String stat) {
		int end = stat.lastIndexOf(')');
		if (end < 0) {
			return 0;
		}
		String[] fields = stat.substring(end + 2).split(" ");
		// Fields 14 and 15 of proc_pid_stat(5); the text after the command name starts
		// at field 3.
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/** Machine-wide busy, iowait, steal and total ticks from /proc/stat. */
	private static long[] machine() {
		String first = read(Path.of("/proc/stat")).lines().findFirst().orElse("cpu 0 0 0 0 0 0 0 0");
		String[] parts = first.trim().split("\\s+");
		long user = field(parts, 1);
		long nice = field(parts, 2);
		long system = field(parts, 3);
		long idle = field(parts, 4);
		long iowait = field(parts, 5);
		long irq = field(parts, 6);
		long softirq = field(parts, 7);
		long steal = field(parts, 8);
		long busy = user + nice + system + irq + softirq;
		return new long[] { busy, iowait, steal, busy + idle + iowait + steal };
	}

	private static long field(String[] parts, int index) {
		return (index < parts.length) ? Long.parseLong(parts[index]) : 0;
	}

	private static String commandLine(long pid) {
		return read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').strip();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.ISO_8859_1);
		}
		catch (IOException | RuntimeException ex) {
			return "";
		}
	}

	/**
	 * Writes the CPU lines of a report over a window of samples: the mean use of every
	 * participant, the busiest processes outside the benchmark, and, with work done, the
	 * CPU time each participant spent per unit of it.
	 * @param report the report
	 * @param usages the window's samples, one per second
	 * @param units the units of work done in the window (0 for none)
	 * @param unit their name, singular, e.g. {@code event}
	 */
	public static void summarize(Report report, List<Usage> usages, long units, String unit) {
		Usage.mean(usages).ifPresent((mean) -> {
			report.line("- CPU, mean %% of one core (200 = both cores): %s", mean.describe(Usage::percent));
			double elsewhereTotal = mean.unattributed() + mean.postgresOther();
			if (elsewhereTotal > OTHER_WORK_WARNING) {
				report.line(
						"- **warning**: work outside the benchmark (unattributed and other databases) used %.0f %% "
								+ "of a core on average: the figures of this window are lower than the machine gives",
						elsewhereTotal);
			}
			Map<String, Double> elsewhere = new HashMap<>();
			for (Usage usage : usages) {
				int split = usage.busiestElsewhere().lastIndexOf(' ');
				if (split > 0) {
					elsewhere.merge(usage.busiestElsewhere().substring(0, split),
							Double.parseDouble(usage.busiestElsewhere().substring(split + 1)) / usages.size(),
							Double::sum);
				}
			}
			report.line(
					"- busiest other processes (mean %% of one core, counted in the seconds each was the "
							+ "busiest): %s",
					elsewhere.entrySet()
						.stream()
						.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
						.limit(3)
						.map((entry) -> String.format(Locale.ROOT, "%s %.1f", entry.getKey(), entry.getValue()))
						.toList());
			if (units > 0) {
				// Mean percent of a core over the window's seconds, in µs per unit.
				double perUnit = usages.size() * 1e6 / units / 100;
				report.line("- CPU per %s (µs): %s", unit,
						mean.describe((percent) -> String.format(Locale.ROOT, "%.1f", percent * perUnit)));
			}
		});
	}

	private static final class Kinds {

		static final String BACKGROUND = "\0background";

		static final String OTHER = "\0other";

	}

	private record Totals(long nanos, Map<String, Long> processes, long self, Map<String, Long> postgres,
			long postgresBackground, long postgresOther, long machineBusy, long machineIowait, long machineSteal,
			long machineTotal, String busiestName, long busiestTicks) {

	}

	/**
	 * CPU used over one interval, each in percent of one core.
	 *
	 * @param processes each followed process, by label (0 before it is tracked)
	 * @param postgres PostgreSQL backends (and autovacuum) of each benchmark database, by
	 * label
	 * @param postgresBackground PostgreSQL's shared background processes
	 * @param postgresOther backends of other databases (someone else's work)
	 * @param benchmark the benchmark's JVM: load generator and probes
	 * @param machineBusy the whole machine, all processes
	 * @param machineIowait the whole machine waiting for I/O
	 * @param machineSteal time the hypervisor gave to other guests
	 * @param unattributed machine busy time none of the above explains (other processes,
	 * the kernel)
	 * @param busiestElsewhere the process name, outside the benchmark and PostgreSQL,
	 * that used the most CPU in the interval, with its percentage; empty for a mean
	 */
	public record Usage(Map<String, Double> processes, Map<String, Double> postgres, double postgresBackground,
			double postgresOther, double benchmark, double machineBusy, double machineIowait, double machineSteal,
			double unattributed, String busiestElsewhere) {

		/**
		 * A followed process's CPU.
		 * @param label its label
		 * @return percent of one core
		 */
		public double process(String label) {
			return this.processes.getOrDefault(label, 0.0);
		}

		/**
		 * The CPU of a benchmark database's PostgreSQL backends.
		 * @param label the database's label
		 * @return percent of one core
		 */
		public double postgres(String label) {
			return this.postgres.getOrDefault(label, 0.0);
		}

		/**
		 * The sample as CSV fields, in the order of {@link CpuMeter#csvHeader()}.
		 * @return the fields, joined
		 */
		public String csv() {
			StringBuilder csv = new StringBuilder();
			this.processes.values().forEach((value) -> csv.append(String.format(Locale.ROOT, "%.1f,", value)));
			this.postgres.values().forEach((value) -> csv.append(String.format(Locale.ROOT, "%.1f,", value)));
			return csv.append(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%s",
					this.postgresBackground, this.postgresOther, this.benchmark, this.machineBusy, this.machineIowait,
					this.machineSteal, this.unattributed, this.busiestElsewhere))
				.toString();
		}

		private String describe(Function<Double, String> format) {
			List<String> parts = new java.util.ArrayList<>();
			this.processes.forEach((label, value) -> parts.add(label + " " + format.apply(value)));
			this.postgres
				.forEach((label, value) -> parts.add("PostgreSQL (" + label + " database) " + format.apply(value)));
			parts.add("PostgreSQL background " + format.apply(this.postgresBackground));
			parts.add("load generator and probes " + format.apply(this.benchmark));
			parts.add("PostgreSQL of other databases " + format.apply(this.postgresOther));
			parts.add("unattributed " + format.apply(this.unattributed));
			return String.join(", ", parts) + "; machine busy " + format.apply(this.machineBusy) + ", iowait "
					+ format.apply(this.machineIowait) + ", steal " + format.apply(this.machineSteal);
		}

		private static String percent(double value) {
			return String.format(Locale.ROOT, "%.0f", value);
		}

		/**
		 * The mean of samples.
		 * @param usages the samples
		 * @return their mean, empty for none
		 */
		public static Optional<Usage> mean(List<Usage> usages) {
			if (usages.isEmpty()) {
				return Optional.empty();
			}
			double n = usages.size();
			Usage first = usages.getFirst();
			return Optional.of(new Usage(meanOf(usages, first.processes.keySet(), Usage::processes),
					meanOf(usages, first.postgres.keySet(), Usage::postgres),
					usages.stream().mapToDouble(Usage::postgresBackground).sum() / n,
					usages.stream().mapToDouble(Usage::postgresOther).sum() / n,
					usages.stream().mapToDouble(Usage::benchmark).sum() / n,
					usages.stream().mapToDouble(Usage::machineBusy).sum() / n,
					usages.stream().mapToDouble(Usage::machineIowait).sum() / n,
					usages.stream().mapToDouble(Usage::machineSteal).sum() / n,
					usages.stream().mapToDouble(Usage::unattributed).sum() / n, ""));
		}

		private static Map<String, Double> meanOf(List<Usage> usages, java.util.Set<String> labels,
				Function<Usage, Map<String, Double>> values) {
			return labels.stream()
				.collect(Collectors.toMap((label) -> label,
						(label) -> usages.stream()
							.mapToDouble((usage) -> values.apply(usage).getOrDefault(label, 0.0))
							.sum() / usages.size(),
						(a, b) -> a, LinkedHashMap::new));
		}

	}

}
