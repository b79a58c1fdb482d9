package io.tollgate.testsupport.benchmark;

import java.util.Set;
import java.util.function.Function;

/**
 * A benchmark main class's run: built from its command line, run once, closed (stopping
 * what it started), and the JVM's exit status says whether it completed.
 */
public interface Benchmark extends AutoCloseable {

	/**
	 * Runs the phase the command line names.
	 * @throws Exception anything that stops the run; the report keeps what was measured
	 */
	void run() throws Exception;

	/**
	 * The body of a benchmark's {@code main}: parses the command line, builds the
	 * benchmark, runs and closes it, and exits with 0, or 1 after printing what failed.
	 * @param args the arguments of {@code main}
	 * @param options the option names the benchmark takes
	 * @param usage the usage line, for a command line without a phase
	 * @param factory builds the benchmark
	 */
	static void main(String[] args, Set<String> options, String usage, Function<BenchmarkOptions, Benchmark> factory) {
		int status = 0;
		try (Benchmark benchmark = factory.apply(BenchmarkOptions.parse(args, options, usage))) {
			benchmark.run();
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			status = 1;
		}
		System.exit(status);
	}

}
