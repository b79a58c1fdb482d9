package io.tollgate.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka from the {@code apache/kafka} image (KRaft mode) through Testcontainers, for
 * machines with a Docker engine. The image tag follows the Kafka version the platform BOM
 * pins.
 */
final class ContainerKafka implements KafkaService {

	static final String IMAGE = "apache/kafka:4.2.1";

	private final KafkaContainer container = new KafkaContainer(IMAGE);

	void start() {
		this.container.start();
	}

	@Override
	public String bootstrapServers() {
		return this.container.getBootstrapServers();
	}

	@Override
	public void makeUnavailable() {
		// Pausing keeps the mapped port, which a stopped and restarted container would
		// not.
		DockerClientFactory.instance().client().pauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void makeAvailable() {
		DockerClientFactory.instance().client().unpauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public String description() {
		return "Testcontainers " + IMAGE + " at " + bootstrapServers();
	}

	void shutdown() {
		this.container.stop();
	}

}
