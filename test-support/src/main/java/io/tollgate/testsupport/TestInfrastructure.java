package io.tollgate.testsupport;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Where integration tests get their Kafka broker and PostgreSQL database from: the single
 * switch of the test suite.
 *
 * <p>
 * For each of the two, in this order: an external one named by environment variables;
 * else Testcontainers when {@code TOLLGATE_TEST_INFRA} is {@code testcontainers}, or
 * {@code auto} (the default) and a Docker engine answers; else the local way (a broker
 * process from Maven Central's Kafka artifacts, the PostgreSQL server on 127.0.0.1:5432).
 * See {@link Settings}.
 *
 * <p>
 * Each is started at most once per JVM, on first use, and torn down when the JVM exits,
 * so a test suite pays the start-up cost once rather than per test class. Tests isolate
 * their data by using fresh identifiers (tenant ids, topic names), never by restarting
 * infrastructure.
 */
public final class TestInfrastructure {

	private static final Logger logger = LoggerFactory.getLogger(TestInfrastructure.class);

	private static final Settings settings = Settings.fromEnvironment();

	private static @Nullable KafkaService kafka;

	private static @Nullable PostgresService postgres;

	private static @Nullable PostgresServer postgresServer;

	private static @Nullable Boolean dockerAvailable;

	private TestInfrastructure() {
	}

	/**
	 * Returns this JVM's Kafka broker, starting it on first use.
	 * @return the broker
	 */
	public static synchronized KafkaService kafka() {
		KafkaService current = kafka;
		if (current == null) {
			long started = System.nanoTime();
			current = startKafka();
			kafka = current;
			logger.info("Kafka for tests: {} (ready in {} ms)", current.description(),
					(System.nanoTime() - started) / 1_000_000);
		}
		return current;
	}

	/**
	 * Returns this JVM's PostgreSQL database, creating it on first use.
	 * @return the database
	 */
	public static synchronized PostgresService postgres() {
		PostgresService current = postgres;
		if (current == null) {
			long started = System.nanoTime();
			current = startPostgres();
			postgres = current;
			logger.info("PostgreSQL for tests: {} (ready in {} ms)", current.description(),
					(System.nanoTime() - started) / 1_000_000);
		}
		return current;
	}

	/**
	 * Creates another fresh database on this JVM's PostgreSQL server, dropped when the
	 * JVM exits: for a test that needs state no other test of the JVM shares (a service
	 * run as a child process, say).
	 * @return the new database
	 */
	public static synchronized PostgresService freshPostgresDatabase() {
		postgres();
		PostgresServer server = postgresServer;
		if (server == null) {
			throw new IllegalStateException("PostgreSQL server unknown after start");
		}
		PostgresService database = server.createDatabase();
		onExit(() -> server.dropDatabase(database.database()));
		return database;
	}

	private static KafkaService startKafka() {
		String external = settings.externalKafka();
		if (external != null) {
			return new ExternalKafka(external);
		}
		if (useTestcontainers()) {
			ContainerKafka container = new ContainerKafka();
			container.start();
			onExit(container::shutdown);
			return container;
		}
		LocalKafkaBroker broker = new LocalKafkaBroker(Path.of(System.getProperty("java.io.tmpdir")));
		onExit(broker::shutdown);
		broker.start();
		return broker;
	}

	private static PostgresService startPostgres() {
		PostgresServer server;
		String host = settings.postgresHost();
		if (host != null) {
			server = new PostgresServer(host, settings.postgresPort(), settings.postgresUser(),
					settings.postgresPassword(), settings.postgresAdminDatabase(),
					"external PostgreSQL at " + host + ":" + settings.postgresPort());
		}
		else if (useTestcontainers()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
			container.start();
			onExit(container::stop);
			server = new PostgresServer(container.getHost(), container.getMappedPort(5432), container.getUsername(),
					container.getPassword(), container.getDatabaseName(), "Testcontainers postgres:17-alpine at "
							+ container.getHost() + ":" + container.getMappedPort(5432));
		}
		else {
			server = new PostgresServer("127.0.0.1", settings.postgresPort(), settings.postgresUser(),
					settings.postgresPassword(), settings.postgresAdminDatabase(),
					"local PostgreSQL at 127.0.0.1:" + settings.postgresPort());
		}
		postgresServer = server;
		PostgresService database = server.createDatabase();
		onExit(() -> server.dropDatabase(database.database()));
		return database;
	}

	private static boolean useTestcontainers() {
		return switch (settings.mode()) {
			case TESTCONTAINERS -> true;
			case LOCAL -> false;
			case AUTO -> dockerAvailable();
		};
	}

	private static boolean dockerAvailable() {
		Boolean available = dockerAvailable;
		if (available == null) {
			available = DockerClientFactory.instance().isDockerAvailable();
			dockerAvailable = available;
			if (!available) {
				logger.info("No Docker engine: using a local Kafka broker process and the local PostgreSQL");
			}
		}
		return available;
	}

	private static void onExit(Runnable action) {
		Runtime.getRuntime().addShutdownHook(new Thread(action, "tollgate-test-infrastructure-shutdown"));
	}

}
