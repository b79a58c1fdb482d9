package io.tollgate.simulator;

/**
 * Runs the simulator on its own, for the benchmark and the demo. The port is the first
 * argument, else {@code SIMULATOR_PORT}, else 9099; the address is the second argument,
 * else {@code SIMULATOR_HOST}, else 127.0.0.1 (use 0.0.0.0 in a container). Request
 * recording is off: nobody could read it, and at benchmark rates it would only use
 * memory.
 */
public final class SimulatorMain {

	static final int DEFAULT_PORT = 9099;

	static final String DEFAULT_HOST = "127.0.0.1";

	private SimulatorMain() {
	}

	public static void main(String[] args) {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : port(System.getenv("SIMULATOR_PORT"));
		String host = (args.length > 1) ? args[1] : host(System.getenv("SIMULATOR_HOST"));
		ProviderSimulator simulator = ProviderSimulator.start(host, port);
		simulator.setRecording(false);
		Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
		System.out.println("Tollgate provider simulator listening on " + host + ":" + simulator.port());
		simulator.awaitClose();
	}

	static int port(@org.jspecify.annotations.Nullable String value) {
		return (value == null || value.isBlank()) ? DEFAULT_PORT : Integer.parseInt(value.trim());
	}

	static String host(@org.jspecify.annotations.Nullable String value) {
		return (value == null || value.isBlank()) ? DEFAULT_HOST : value.trim();
	}

}
