package io.tollgate.metering.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of every process on the machine that takes part in the benchmark, from
 * {@code /proc}: what the service, PostgreSQL, the Kafka broker and the load generator
 * each used between two samples, and what the machine as a whole did, so that load from
 * anything else (another build on the shared cores) shows as "other" instead of silently
 * slowing the run.
 *
 * <p>
 * PostgreSQL processes are told apart by their titles: backends and autovacuum workers of
 * the benchmark's database, the server's background processes (WAL writer, checkpointer,
 * background writer, ...), and backends of other databases.
 */
final class CpuMeter {

	/**
	 * Linux reports process CPU time in clock ticks of 1/100 s on every supported arch.
	 */
	private static final double TICKS_PER_SECOND = 100.0;

	private final long meteringPid;

	private final long kafkaPid;

	private final long selfPid = ProcessHandle.current().pid();

	private final String database;

	private final Map<Long, Long> processTicks = new HashMap<>();

	private final Map<Long, Kind> postgresKinds = new HashMap<>();

	private Totals last;

	CpuMeter(long meteringPid, long kafkaPid, String database) {
		this.meteringPid = meteringPid;
		this.kafkaPid = kafkaPid;
		this.database = database;
		this.last = read(true);
	}

	/**
	 * Finds the Kafka broker this JVM started (test-support runs it as a child process).
	 * @return its pid, or -1 when the broker is not a child of this JVM
	 */
	static long kafkaBrokerPid() {
		return ProcessHandle.current()
			.descendants()
			.filter((process) -> commandLine(process.pid()).contains("KafkaBrokerMain"))
			.mapToLong(ProcessHandle::pid)
			.findFirst()
			.orElse(-1);
	}

	/**
	 * CPU used since the previous call, per participant, in percent of one core (200 is
	 * both cores of this machine).
	 * @return the usage
	 */
	Usage sample() {
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
		double metering = (now.metering - before.metering) * scale;
		double kafka = (now.kafka - before.kafka) * scale;
		double self = (now.self - before.self) * scale;
		double mine = now.postgresMine * scale;
		double background = now.postgresBackground * scale;
		double other = now.postgresOther * scale;
		double unattributed = Math.max(0, busy - metering - kafka - self - mine - background - other);
		String busiest = now.busiestName.isEmpty() ? "" : String.format(Locale.ROOT, "%s %.0f",
				now.busiestName.replaceAll("[,\\s]", "_"), now.busiestTicks * scale);
		return new Usage(metering, mine, background, other, kafka, self, busy, iowait, steal, unattributed, busiest);
	}

	private Totals read(boolean baseline) {
		long mine = 0;
		long background = 0;
		long other = 0;
		Map<String, Long> elsewhere = new HashMap<>();
		Map<Long, Long> seen = new HashMap<>();
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				long pid = Long.parseLong(process.getFileName().toString());
				if (pid == this.meteringPid || pid == this.kafkaPid || pid == this.selfPid) {
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
				switch (this.postgresKinds.computeIfAbsent(pid, this::classify)) {
					case MINE -> mine += delta;
					case BACKGROUND -> background += delta;
					case OTHER -> other += delta;
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
		return baseline
				? new Totals(System.nanoTime(), ticks(this.meteringPid), ticks(this.kafkaPid), ticks(this.selfPid), 0,
						0, 0, machine[0], machine[1], machine[2], machine[3], "", 0)
				: new Totals(System.nanoTime(), ticks(this.meteringPid), ticks(this.kafkaPid), ticks(this.selfPid),
						mine, background, other, machine[0], machine[1], machine[2], machine[3], busiest.getKey(),
						busiest.getValue());
	}

	private Kind classify(long pid) {
		String title = commandLine(pid);
		if (title.contains(" " + this.database + " ") || title.endsWith(" " + this.database)) {
			return Kind.MINE;
		}
		for (String name : new String[] { "checkpointer", "background writer", "walwriter", "autovacuum launcher",
				"logical replication launcher", "archiver", "stats collector", "startup", "bin/postgres" }) {
			if (title.contains(name)) {
				return Kind.BACKGROUND;
			}
		}
		return Kind.OTHER;
	}

	/** utime + stime of a process, or 0 when it is gone. */
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

	static String commandLine(long pid) {
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

	private enum Kind {

		MINE, BACKGROUND, OTHER

	}

	private record Totals(long nanos, long metering, long kafka, long self, long postgresMine, long postgresBackground,
			long postgresOther, long machineBusy, long machineIowait, long machineSteal, long machineTotal,
			String busiestName, long busiestTicks) {

	}

	/**
	 * CPU used over one interval, each in percent of one core.
	 *
	 * @param metering the metering service's JVM
	 * @param postgres PostgreSQL backends (and autovacuum) of the benchmark's database
	 * @param postgresBackground PostgreSQL's shared background processes
	 * @param postgresOther backends of other databases (someone else's work)
	 * @param kafka the Kafka broker
	 * @param benchmark this JVM: load generator and probes
	 * @param machineBusy the whole machine, all processes
	 * @param machineIowait the whole machine waiting for I/O
	 * @param machineSteal time the hypervisor gave to other guests
	 * @param unattributed machine busy time none of the above explains (other processes,
	 * the kernel)
	 * @param busiestElsewhere the process name, outside the benchmark and PostgreSQL,
	 * that used the most CPU in the interval, with its percentage; empty for a mean
	 */
	record Usage(double metering, double postgres, double postgresBackground, double postgresOther, double kafka,
			double benchmark, double machineBusy, double machineIowait, double machineSteal, double unattributed,
			String busiestElsewhere) {

		static final String CSV_HEADER = "cpu_metering,cpu_pg_bench_db,cpu_pg_background,cpu_pg_other_db,cpu_kafka,"
				+ "cpu_load_generator,cpu_machine_busy,cpu_machine_iowait,cpu_machine_steal,cpu_unattributed,"
				+ "busiest_elsewhere";

		String csv() {
			return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%s", this.metering,
					this.postgres, this.postgresBackground, this.postgresOther, this.kafka, this.benchmark,
					this.machineBusy, this.machineIowait, this.machineSteal, this.unattributed, this.busiestElsewhere);
		}

		static Optional<Usage> mean(List<Usage> usages) {
			if (usages.isEmpty()) {
				return Optional.empty();
			}
			double n = usages.size();
			return Optional.of(new Usage(usages.stream().mapToDouble(Usage::metering).sum() / n,
					usages.stream().mapToDouble(Usage::postgres).sum() / n,
					usages.stream().mapToDouble(Usage::postgresBackground).sum() / n,
					usages.stream().mapToDouble(Usage::postgresOther).sum() / n,
					usages.stream().mapToDouble(Usage::kafka).sum() / n,
					usages.stream().mapToDouble(Usage::benchmark).sum() / n,
					usages.stream().mapToDouble(Usage::machineBusy).sum() / n,
					usages.stream().mapToDouble(Usage::machineIowait).sum() / n,
					usages.stream().mapToDouble(Usage::machineSteal).sum() / n,
					usages.stream().mapToDouble(Usage::unattributed).sum() / n, ""));
		}

	}

}
