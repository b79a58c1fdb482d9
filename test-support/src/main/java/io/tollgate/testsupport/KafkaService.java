package io.tollgate.testsupport;

/**
 * A real Kafka broker that a test can use. Which kind it is (a Testcontainers container,
 * a broker process, an external cluster) is deliberately not part of this interface.
 */
public interface KafkaService {

	/**
	 * Returns the bootstrap servers to connect to, e.g. {@code 127.0.0.1:39092}.
	 * @return the bootstrap servers
	 */
	String bootstrapServers();

	/**
	 * Makes the broker unreachable, as an outage would, keeping its data: a broker
	 * process is stopped, a container is paused. Used by tests of what happens while
	 * Kafka is down.
	 * @throws UnsupportedOperationException for an external broker, which tests must not
	 * stop
	 */
	void makeUnavailable();

	/**
	 * Makes the broker reachable again on the same address, with the data it had, and
	 * waits until it answers.
	 */
	void makeAvailable();

	/**
	 * Says how this broker is provided, for log lines and reports.
	 * @return a short description such as {@code local broker process (Kafka 4.2.1)}
	 */
	String description();

}
