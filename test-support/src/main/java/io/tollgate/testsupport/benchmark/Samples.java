package io.tollgate.testsupport.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Following a run second by second, and the figures taken from those samples: rates over
 * the whole run and over its middle, and windows for interval tables.
 */
public final class Samples {

	private Samples() {
	}

	/**
	 * One sample of a run: when it was taken and the CPU used since the previous one.
	 */
	public interface Timed {

		/**
		 * Seconds since the segment of the run started.
		 * @return the seconds
		 */
		double seconds();

		/**
		 * CPU used since the previous sample.
		 * @return the usage
		 */
		CpuMeter.Usage cpu();

	}

	/**
	 * Takes a sample every second (on a fixed schedule, not a fixed pause) until the
	 * condition holds after a sample, or the timeout.
	 * @param <S> the sample type
	 * @param sample takes a sample, given the seconds since the start
	 * @param done whether to stop after a sample
	 * @param timeout the longest to follow
	 * @return the samples, in order
	 */
	public static <S> List<S> everySecond(DoubleFunction<S> sample, Predicate<S> done, Duration timeout) {
		List<S> taken = new ArrayList<>();
		long start = System.nanoTime();
		for (long tick = 1;; tick++) {
			long wait = start + TimeUnit.SECONDS.toNanos(tick) - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			S next = sample.apply((System.nanoTime() - start) / 1e9);
			taken.add(next);
			if (done.test(next) || System.nanoTime() - start > timeout.toNanos()) {
				return taken;
			}
		}
	}

	/**
	 * The first sample at which a count reached a value.
	 * @param <S> the sample type
	 * @param samples the samples
	 * @param count the count of a sample, e.g. records committed
	 * @param value the value to reach
	 * @return the sample, or the last one when none reached it
	 */
	public static <S> S firstReaching(List<S> samples, ToLongFunction<S> count, long value) {
		return samples.stream()
			.filter((sample) -> count.applyAsLong(sample) >= value)
			.findFirst()
			.orElse(samples.getLast());
	}

	/**
	 * How fast a count grew over the samples: from the first sample to the last, and over
	 * the middle 80 % of the total (from 10 % to 90 % of it), which leaves out the start
	 * (JIT compilation, partitions being assigned) and the tail of the last partitions.
	 * @param <S> the sample type
	 * @param samples the samples, at least one
	 * @param count the count of a sample, e.g. records committed
	 * @param total the count when the work is done
	 * @return the rates
	 */
	public static <S extends Timed> Throughput throughput(List<S> samples, ToLongFunction<S> count, long total) {
		S first = samples.getFirst();
		S last = samples.getLast();
		double seconds = last.seconds() - first.seconds();
		double overall = (count.applyAsLong(last) - count.applyAsLong(first)) / Math.max(1e-9, seconds);
		S from = firstReaching(samples, count, total / 10);
		S to = firstReaching(samples, count, total * 9 / 10);
		double middle = (count.applyAsLong(to) - count.applyAsLong(from))
				/ Math.max(1e-9, to.seconds() - from.seconds());
		return new Throughput(total, count.applyAsLong(first), count.applyAsLong(last), seconds, overall, middle,
				from.seconds(), to.seconds());
	}

	/**
	 * The least-squares slope of a count over time: whether a lag grows, and how fast.
	 * @param <S> the sample type
	 * @param samples the samples
	 * @param count the count of a sample, e.g. lag
	 * @return per second; 0 for fewer than two samples
	 */
	public static <S extends Timed> double slope(List<S> samples, ToLongFunction<S> count) {
		double n = samples.size();
		if (n < 2) {
			return 0;
		}
		double meanT = samples.stream().mapToDouble(Timed::seconds).sum() / n;
		double meanCount = samples.stream().mapToDouble(count::applyAsLong).sum() / n;
		double covariance = 0;
		double variance = 0;
		for (S sample : samples) {
			covariance += (sample.seconds() - meanT) * (count.applyAsLong(sample) - meanCount);
			variance += (sample.seconds() - meanT) * (sample.seconds() - meanT);
		}
		return covariance / variance;
	}

	/**
	 * Cuts the samples into windows of a fixed length, for an interval table.
	 * @param <S> the sample type
	 * @param samples the samples, one a second
	 * @param step the window's length
	 * @return the windows, the last one possibly shorter
	 */
	public static <S extends Timed> List<Window<S>> windows(List<S> samples, Duration step) {
		int every = (int) step.toSeconds();
		List<Window<S>> windows = new ArrayList<>();
		int previous = 0;
		for (int i = every - 1; i < samples.size() + every - 1; i += every) {
			int index = Math.min(i, samples.size() - 1);
			if (index == previous) {
				break;
			}
			S start = samples.get(previous);
			S end = samples.get(index);
			CpuMeter.Usage cpu = CpuMeter.Usage
				.mean(samples.subList(previous + 1, index + 1).stream().map(Timed::cpu).toList())
				.orElse(end.cpu());
			windows.add(new Window<>(start, end, end.seconds() - start.seconds(), cpu));
			previous = index;
		}
		return windows;
	}

	/**
	 * The CPU of samples.
	 * @param samples the samples
	 * @return the CPU of each, in order
	 */
	public static List<CpuMeter.Usage> cpu(List<? extends Timed> samples) {
		return samples.stream().map(Timed::cpu).toList();
	}

	/**
	 * Adds a table of the samples in windows of a fixed length: the window's end, the
	 * benchmark's own columns, then the mean CPU of every process and database the
	 * {@link CpuMeter} follows, PostgreSQL's background, the load generator and the
	 * machine, in percent of one core.
	 * @param <S> the sample type
	 * @param report the report
	 * @param samples the samples, one a second
	 * @param step the window's length
	 * @param columns the benchmark's columns: name to the cell of a window, in order
	 */
	public static <S extends Timed> void intervalTable(Report report, List<S> samples, Duration step,
			Map<String, Function<Window<S>, String>> columns) {
		List<String> header = new ArrayList<>(List.of("t s"));
		header.addAll(columns.keySet());
		CpuMeter.Usage labels = samples.getLast().cpu();
		labels.processes().keySet().forEach((label) -> header.add("CPU " + label));
		labels.postgres().keySet().forEach((label) -> header.add("CPU PG " + label));
		header.addAll(List.of("CPU PG bg", "CPU load gen", "CPU machine"));
		List<List<String>> rows = new ArrayList<>();
		for (Window<S> window : windows(samples, step)) {
			List<String> row = new ArrayList<>(List.of(Report.decimal(window.end().seconds())));
			columns.values().forEach((cell) -> row.add(cell.apply(window)));
			CpuMeter.Usage cpu = window.cpu();
			labels.processes().keySet().forEach((label) -> row.add(Report.count(cpu.process(label))));
			labels.postgres().keySet().forEach((label) -> row.add(Report.count(cpu.postgres(label))));
			row.addAll(List.of(Report.count(cpu.postgresBackground()), Report.count(cpu.benchmark()),
					Report.count(cpu.machineBusy())));
			rows.add(row);
		}
		report.table(header, rows);
	}

	/**
	 * The rates of {@link #throughput}.
	 *
	 * @param total the count when the work is done
	 * @param first the count at the first sample
	 * @param last the count at the last sample
	 * @param seconds from the first sample to the last
	 * @param overall the rate from the first sample to the last, per second
	 * @param middle the rate over the middle 80 % of the total, per second
	 * @param middleFrom when the count reached 10 % of the total, seconds
	 * @param middleTo when it reached 90 %, seconds
	 */
	public record Throughput(long total, long first, long last, double seconds, double overall, double middle,
			double middleFrom, double middleTo) {

		/**
		 * The report's line for a drain: the work done, how long it took from the first
		 * sample, the rate overall and over the middle, and whether it timed out.
		 * @param unit what was counted, plural, e.g. {@code events}
		 * @param done what became of them, e.g. {@code committed}
		 * @return the line, a list item
		 */
		public String describe(String unit, String done) {
			String timedOut = (this.last < this.total) ? String.format(java.util.Locale.ROOT,
					"**Timed out**: %s of %s %s %s\n", Report.count(this.last), Report.count(this.total), unit, done)
					: "";
			return String.format(java.util.Locale.ROOT,
					"%s- %s %s %s in %.1f s from the first sample after readiness (%s already %s then): **%s %s/s** "
							+ "overall; %s %s/s over the middle 80 %% (%s to %s s)",
					timedOut, Report.count(this.total), unit, done, this.seconds, Report.count(this.first), done,
					Report.count(this.overall), unit, Report.count(this.middle), unit, Report.decimal(this.middleFrom),
					Report.decimal(this.middleTo));
		}

	}

	/**
	 * One window of samples.
	 *
	 * @param <S> the sample type
	 * @param start the sample before the window
	 * @param end the window's last sample
	 * @param seconds the window's length
	 * @param cpu the mean CPU over the window
	 */
	public record Window<S>(S start, S end, double seconds, CpuMeter.Usage cpu) {

		/**
		 * How fast a count grew over the window.
		 * @param count the count of a sample
		 * @return per second
		 */
		public double rate(ToLongFunction<S> count) {
			return (count.applyAsLong(this.end) - count.applyAsLong(this.start)) / Math.max(1e-9, this.seconds);
		}

	}

}
