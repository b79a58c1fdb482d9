package io.tollgate.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One simulator per test class, started before its first test and reset before each, with
 * an HTTP client pointed at it.
 */
abstract class SimulatorTestSupport {

	static ProviderSimulator simulator;

	static SimulatorClient client;

	@BeforeAll
	static void startSimulator() {
		simulator = ProviderSimulator.start();
		client = new SimulatorClient(simulator);
	}

	@AfterAll
	static void stopSimulator() {
		simulator.close();
	}

	@BeforeEach
	void resetSimulator() {
		simulator.reset();
	}

}
