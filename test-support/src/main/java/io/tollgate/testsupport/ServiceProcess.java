package io.tollgate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A Spring Boot service run as a child JVM on the test class path, for tests that must
 * kill it ({@code kill -9}) or run several instances side by side.
 *
 * <p>
 * The child gets a free port, the connection settings of this JVM's Kafka and of the
 * PostgreSQL database it is given, and any other properties as command-line arguments
 * (the highest precedence). {@link #start} returns once its readiness probe answers 200.
 * Output goes to {@code target/service-logs/<name>.log}; the child exits with its parent.
 */
public final class ServiceProcess implements AutoCloseable {

	private static final AtomicInteger sequence = new AtomicInteger();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final List<String> launch;

	private final Map<String, String> properties;

	private final Path logFile;

	private int port;

	private @Nullable Process process;

	private ServiceProcess(String name, List<String> launch, Map<String, String> properties) {
		this.name = name;
		this.launch = launch;
		this.properties = properties;
		this.logFile = Path.of("target", "service-logs", name + "-" + sequence.incrementAndGet() + ".log");
	}

	/**
	 * Describes a service to run with this JVM's Kafka and the given database.
	 * @param name a name for logs
	 * @param mainClass the Spring Boot application class
	 * @param database the database the service uses (R2DBC and Flyway)
	 * @param properties other properties, e.g. the internal token
	 * @return the process, not started
	 */
	public static ServiceProcess of(String name, Class<?> mainClass, PostgresService database,
			Map<String, String> properties) {
		// The child shares this JVM's test clock (see ChildClock); a jar keeps the wall
		// clock.
		return new ServiceProcess(name, List.of("-cp", testClassPath(), ParentWatch.class.getName(),
				ParentWatch.WITH_TEST_CLOCK, mainClass.getName()), connections(database, properties));
	}

	/**
	 * Describes a service to run from its packaged Spring Boot jar (as in production),
	 * with this JVM's Kafka and the given database: for tests that run several services
	 * whose class paths must not mix.
	 * @param name a name for logs
	 * @param jar the executable jar
	 * @param database the database the service uses (R2DBC and Flyway)
	 * @param properties other properties
	 * @return the process, not started
	 */
	public static ServiceProcess ofJar(String name, Path jar, PostgresService database,
			Map<String, String> properties) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalArgumentException(jar.toAbsolutePath() + " does not exist: package the service first");
		}
		// Spring Boot's launcher finds its archive from its own class's location, so it
		// can be started through ParentWatch with the jar first on the class path.
		String classPath = jar.toAbsolutePath() + java.io.File.pathSeparator + ownLocation();
		return new ServiceProcess(name, List.of("-cp", classPath, ParentWatch.class.getName(),
				"org.springframework.boot.loader.launch.JarLauncher"), connections(database, properties));
	}

	private static Map<String, String> connections(PostgresService database, Map<String, String> properties) {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("spring.kafka.bootstrap-servers", TestInfrastructure.kafka().bootstrapServers());
		all.put("spring.r2dbc.url", database.r2dbcUrl());
		all.put("spring.r2dbc.username", database.username());
		all.put("spring.r2dbc.password", database.password());
		all.put("spring.flyway.url", database.jdbcUrl());
		all.put("spring.flyway.user", database.username());
		all.put("spring.flyway.password", database.password());
		all.putAll(properties);
		return all;
	}

	private static String ownLocation() {
		try {
			return Path.of(ServiceProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts the child (again, after {@link #kill} or {@link #stop}, on a new port) and
	 * waits until it is ready.
	 * @return this process
	 */
	public synchronized ServiceProcess start() {
		try {
			Files.createDirectories(this.logFile.getParent());
			this.port = freePort();
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(List.of("-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
					"--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
					"-Dtollgate.parent-pid=" + ProcessHandle.current().pid(),
					"-D" + ChildClock.PROPERTY + "=" + TestClock.shared().instant()));
			command.addAll(this.launch);
			command.add("--server.port=" + this.port);
			this.properties.forEach((key, value) -> command.add("--" + key + "=" + value));
			Files.writeString(this.logFile, "=== " + String.join(" ", command) + System.lineSeparator(),
					StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
			awaitReady(Duration.ofSeconds(120));
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name, ex);
		}
	}

	/**
	 * Kills the child at once (SIGKILL): no shutdown hook, no graceful stop, no flush.
	 */
	public synchronized void kill() {
		Process running = this.process;
		if (running != null) {
			running.destroyForcibly();
			await(running);
			this.process = null;
		}
	}

	/** Stops the child gracefully (SIGTERM), killing it if it takes over 30 s. */
	public synchronized void stop() {
		Process running = this.process;
		if (running != null) {
			running.destroy();
			try {
				if (!running.waitFor(30, TimeUnit.SECONDS)) {
					running.destroyForcibly();
					await(running);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				running.destroyForcibly();
			}
			this.process = null;
		}
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * Returns the base URL of the running child.
	 * @return e.g. {@code http://127.0.0.1:40123}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Whether the child is running.
	 * @return {@code true} while it runs
	 */
	public synchronized boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	private void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		while (System.nanoTime() < deadline) {
			Process running = this.process;
			if (running == null || !running.isAlive()) {
				throw new IllegalStateException(this.name + " exited during start-up:\n" + logTail());
			}
			try {
				if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while starting " + this.name, ex);
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while starting " + this.name, ex);
			}
		}
		kill();
		throw new IllegalStateException(this.name + " was not ready within " + timeout + ":\n" + logTail());
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void await(Process process) {
		try {
			process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

	private static String testClassPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	/**
	 * Runs a main class, exiting at once when the parent test JVM is gone, so that a
	 * crashed or killed test run leaves no service behind.
	 */
	public static final class ParentWatch {

		/** The first argument that makes the child run on the parent's test clock. */
		static final String WITH_TEST_CLOCK = "--with-test-clock";

		private ParentWatch() {
		}

		public static void main(String[] args) throws Exception {
			long parent = Long.getLong("tollgate.parent-pid", -1L);
			ProcessHandle.of(parent).ifPresent((handle) -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
			boolean testClock = WITH_TEST_CLOCK.equals(args[0]);
			int first = testClock ? 1 : 0;
			Class<?> main = Class.forName(args[first]);
			String[] rest = java.util.Arrays.copyOfRange(args, first + 1, args.length);
			if (!testClock) {
				main.getMethod("main", String[].class).invoke(null, (Object) rest);
				return;
			}
			Instant start = Instant.parse(System.getProperty(ChildClock.PROPERTY));
			ChildClock.run(start, () -> {
				try {
					main.getMethod("main", String[].class).invoke(null, (Object) rest);
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException("Could not run " + main.getName(), ex);
				}
			});
		}

	}

}
