package io.tollgate.testsupport;

/**
 * A broker named by {@code TOLLGATE_TEST_KAFKA_BOOTSTRAP_SERVERS}; tests never stop it.
 *
 * @param bootstrapServers the bootstrap servers
 */
record ExternalKafka(String bootstrapServers) implements KafkaService {

	@Override
	public void makeUnavailable() {
		throw new UnsupportedOperationException(
				"An external Kafka (TOLLGATE_TEST_KAFKA_BOOTSTRAP_SERVERS) cannot be stopped by a test");
	}

	@Override
	public void makeAvailable() {
	}

	@Override
	public String description() {
		return "external Kafka at " + this.bootstrapServers;
	}

}
