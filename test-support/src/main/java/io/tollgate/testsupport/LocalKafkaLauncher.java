package io.tollgate.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the same single-node KRaft broker the tests use, on a fixed port with data kept in
 * a directory, until this JVM is stopped: the Kafka of {@code bin/tollgate-local}, for
 * machines where {@code docker compose} cannot run.
 *
 * <p>
 * Arguments: the port (e.g. 9092) and the data directory.
 */
public final class LocalKafkaLauncher {

	private LocalKafkaLauncher() {
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length != 2) {
			System.err.println("usage: LocalKafkaLauncher <port> <directory>");
			System.exit(2);
		}
		int port = Integer.parseInt(args[0]);
		LocalKafkaBroker broker = new LocalKafkaBroker(Path.of(args[1]).toAbsolutePath(), port, port + 1);
		Runtime.getRuntime().addShutdownHook(new Thread(broker::makeUnavailable, "kafka-shutdown"));
		broker.start();
		System.out.println("Kafka ready: " + broker.description());
		new CountDownLatch(1).await();
	}

}
