package io.tollgate.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.jspecify.annotations.Nullable;

/**
 * A real single-node KRaft Kafka broker in a child JVM, for machines without a Docker
 * engine.
 *
 * <p>
 * The child runs {@link KafkaBrokerMain} on this JVM's own test class path (which holds
 * {@code kafka_2.13} through this module), so the broker is exactly the Kafka version the
 * platform BOM pins. Ports are chosen once and kept across {@link #makeUnavailable()} and
 * {@link #makeAvailable()}, so clients see an outage and a recovery of the same broker,
 * with its data kept on disk. The process is a child rather than an in-JVM server so that
 * tests can stop it for real and so that the broker's memory and threads stay out of the
 * test JVM.
 */
final class LocalKafkaBroker implements KafkaService {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final Path workDirectory;

	private final Path logFile;

	private final int port;

	private final int controllerPort;

	private final String clusterId = Uuid.randomUuid().toString();

	private @Nullable Process process;

	LocalKafkaBroker(Path baseDirectory) {
		this(baseDirectory.resolve("kafka-" + UUID.randomUUID()), freePort(), freePort());
	}

	/**
	 * A broker with fixed ports and a fixed directory, whose data outlives restarts of
	 * the JVM (used by the local launcher).
	 */
	LocalKafkaBroker(Path workDirectory, int port, int controllerPort) {
		this.workDirectory = workDirectory;
		this.logFile = this.workDirectory.resolve("broker.log");
		this.port = port;
		this.controllerPort = controllerPort;
	}

	@Override
	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	@Override
	public String description() {
		return "local Kafka " + AppInfoParser.getVersion() + " broker process at " + bootstrapServers() + " (log: "
				+ this.logFile + ")";
	}

	synchronized void start() {
		try {
			Files.createDirectories(this.workDirectory);
			Path properties = writeServerProperties();
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true",
					"-Dlogback.configurationFile=" + writeLogbackConfiguration(),
					"-Djava.io.tmpdir=" + this.workDirectory));
			command.add("-cp");
			command.add(testClassPath());
			command.add(KafkaBrokerMain.class.getName());
			command.add(properties.toString());
			command.add(this.clusterId);
			command.add(Long.toString(ProcessHandle.current().pid()));
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
			awaitReady();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the local Kafka broker", ex);
		}
	}

	@Override
	public synchronized void makeUnavailable() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		running.destroy();
		try {
			if (!running.waitFor(30, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			running.destroyForcibly();
		}
		this.process = null;
	}

	@Override
	public synchronized void makeAvailable() {
		if (this.process == null) {
			start();
		}
	}

	synchronized void shutdown() {
		makeUnavailable();
		deleteRecursively(this.workDirectory.resolve("data"));
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				2000);
		try (Admin admin = Admin.create(config)) {
			while (true) {
				Process running = this.process;
				if (running == null || !running.isAlive()) {
					throw new IllegalStateException("The local Kafka broker exited during start-up:\n" + logTail());
				}
				try {
					if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
						return;
					}
				}
				catch (Exception ex) {
					if (ex instanceof InterruptedException) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException("Interrupted while waiting for Kafka", ex);
					}
					// Not answering yet: the broker is still starting.
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"The local Kafka broker did not answer within " + START_TIMEOUT + ":\n" + logTail());
				}
			}
		}
	}

	private Path writeServerProperties() throws IOException {
		Path data = this.workDirectory.resolve("data");
		String properties = String.join("\n", "process.roles=broker,controller", "node.id=1",
				"controller.quorum.voters=1@127.0.0.1:" + this.controllerPort,
				"listeners=PLAINTEXT://127.0.0.1:" + this.port + ",CONTROLLER://127.0.0.1:" + this.controllerPort,
				"advertised.listeners=PLAINTEXT://127.0.0.1:" + this.port, "controller.listener.names=CONTROLLER",
				"inter.broker.listener.name=PLAINTEXT",
				"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT", "log.dirs=" + data,
				"num.partitions=3", "default.replication.factor=1", "min.insync.replicas=1",
				// A single broker: every internal topic has one replica, and few
				// partitions so
				// that creating them costs milliseconds rather than seconds.
				"offsets.topic.replication.factor=1", "offsets.topic.num.partitions=5",
				"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
				"transaction.state.log.num.partitions=5", "share.coordinator.state.topic.replication.factor=1",
				"share.coordinator.state.topic.min.isr=1", "share.coordinator.state.topic.num.partitions=1",
				"group.initial.rebalance.delay.ms=0", "auto.create.topics.enable=true", "log.retention.hours=24", "");
		Path file = this.workDirectory.resolve("server.properties");
		Files.writeString(file, properties, StandardCharsets.UTF_8);
		return file;
	}

	private Path writeLogbackConfiguration() throws IOException {
		Path file = this.workDirectory.resolve("logback-broker.xml");
		Files.writeString(file, """
				<configuration>
				  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
				    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
				  </appender>
				  <logger name="kafka" level="INFO"/>
				  <logger name="org.apache.kafka" level="WARN"/>
				  <root level="WARN"><appender-ref ref="OUT"/></root>
				</configuration>
				""", StandardCharsets.UTF_8);
		return file;
	}

	/**
	 * Surefire may run tests from a manifest-only jar, leaving {@code java.class.path}
	 * with just that jar; it publishes the real class path as
	 * {@code surefire.test.class.path}.
	 */
	private static String testClassPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no broker log at " + this.logFile + ")";
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for the local Kafka broker", ex);
		}
	}

	private static void deleteRecursively(Path path) {
		File[] children = path.toFile().listFiles();
		if (children != null) {
			for (File child : children) {
				deleteRecursively(child.toPath());
			}
		}
		path.toFile().delete();
	}

}
