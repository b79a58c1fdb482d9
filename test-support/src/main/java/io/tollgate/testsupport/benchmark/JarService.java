package io.tollgate.testsupport.benchmark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.ServiceProcess;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A service run from its packaged Spring Boot jar as a child JVM, like
 * {@link ServiceProcess#ofJar} but with JVM options of the benchmark's choosing.
 *
 * <p>
 * {@code ServiceProcess} starts services for tests: a 512 MB heap, the serial collector
 * and C1 only ({@code -XX:TieredStopAtLevel=1}), which start fast and are the wrong
 * settings to measure throughput with, since production runs the jar with the JVM's
 * defaults (full tiered compilation, G1). The child gets a free port, the Kafka and
 * database settings and any other properties as command-line arguments (the highest
 * precedence), and still runs under {@link ServiceProcess.ParentWatch}, so it dies with
 * the benchmark.
 */
public final class JarService implements AutoCloseable {

	/**
	 * The JVM options when the benchmark's environment variable does not set them: the
	 * JVM's defaults (as in the Dockerfile) with a fixed 1 GB heap, so that heap sizing
	 * does not vary between runs.
	 */
	public static final String DEFAULT_JVM_OPTIONS = "-Xms1g -Xmx1g -XX:+ExitOnOutOfMemoryError";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final List<String> jvmOptions;

	private final Map<String, String> properties;

	private final List<String> command;

	private final Path log;

	private final int port;

	private @Nullable Process process;

	/**
	 * Describes a service.
	 * @param name its name, for messages and the report, e.g. {@code billing}
	 * @param jar the executable jar
	 * @param bootstrapServers the Kafka broker
	 * @param database the service's own database (R2DBC and Flyway)
	 * @param properties other properties, e.g. the internal token and the consumer group
	 * @param jvmOptions the JVM options (see {@link #jvmOptions})
	 * @param log where the service's output goes (appended)
	 */
	public JarService(String name, Path jar, String bootstrapServers, PostgresService database,
			Map<String, String> properties, List<String> jvmOptions, Path log) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalArgumentException(jar.toAbsolutePath() + " does not exist: package " + name + " first");
		}
		this.name = name;
		this.jvmOptions = List.copyOf(jvmOptions);
		this.properties = new LinkedHashMap<>(properties);
		this.log = log;
		this.port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("--enable-native-access=ALL-UNNAMED",
				"-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
				"-Dtollgate.parent-pid=" + ProcessHandle.current().pid()));
		// Spring Boot's launcher finds its archive from its own class's location, so the
		// jar goes first on the class path and ParentWatch starts the launcher.
		command.addAll(List.of("-cp", jar.toAbsolutePath() + File.pathSeparator + testSupportLocation(),
				ServiceProcess.ParentWatch.class.getName(), "org.springframework.boot.loader.launch.JarLauncher"));
		command.add("--server.port=" + this.port);
		command.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
		command.add("--spring.r2dbc.url=" + database.r2dbcUrl());
		command.add("--spring.r2dbc.username=" + database.username());
		command.add("--spring.r2dbc.password=" + database.password());
		command.add("--spring.flyway.url=" + database.jdbcUrl());
		command.add("--spring.flyway.user=" + database.username());
		command.add("--spring.flyway.password=" + database.password());
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		this.command = List.copyOf(command);
	}

	/**
	 * The JVM options of a service: those of an environment variable when it is set, else
	 * {@link #DEFAULT_JVM_OPTIONS}, and a Flight Recording when asked for.
	 * @param environmentVariable e.g. {@code BILLING_JAVA_OPTIONS}
	 * @param recording where to write a Flight Recording (profile settings, dumped on
	 * exit), or {@code null} for none
	 * @return the options
	 */
	public static List<String> jvmOptions(String environmentVariable, @Nullable Path recording) {
		String configured = System.getenv(environmentVariable);
		List<String> options = new ArrayList<>(
				List.of(((configured != null && !configured.isBlank()) ? configured : DEFAULT_JVM_OPTIONS).trim()
					.split("\\s+")));
		if (recording != null) {
			options.add("-XX:StartFlightRecording=filename=" + recording.toAbsolutePath()
					+ ",settings=profile,dumponexit=true");
		}
		return options;
	}

	/**
	 * Starts the child and returns once its readiness probe answers 200.
	 * @return this service
	 */
	public JarService start() {
		try {
			Files.createDirectories(this.log.toAbsolutePath().getParent());
			Files.writeString(this.log, "=== " + String.join(" ", this.command) + System.lineSeparator(),
					StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + this.name, ex);
		}
		awaitReady(Duration.ofSeconds(120));
		return this;
	}

	/**
	 * One report line on how the service runs: jar, JVM options, and its properties but
	 * for credentials.
	 * @return the line, without a leading dash
	 */
	public String describe() {
		return String.format("%s: packaged jar, JVM options `%s`, properties %s", this.name,
				String.join(" ", this.jvmOptions),
				this.properties.entrySet()
					.stream()
					.filter((entry) -> !entry.getKey().contains("token"))
					.map((entry) -> entry.getKey() + "=" + entry.getValue())
					.toList());
	}

	/**
	 * The service's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Where the service listens.
	 * @return e.g. {@code http://127.0.0.1:40123}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * The child's process id.
	 * @return the pid
	 */
	public long pid() {
		Process running = this.process;
		if (running == null) {
			throw new IllegalStateException(this.name + " is not running");
		}
		return running.pid();
	}

	/**
	 * The service's Prometheus scrape.
	 * @return the scrape, parsed
	 */
	public Scrape scrape() {
		try {
			return Scrape.parse(http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString()).body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Stops the child (SIGTERM, then SIGKILL after 30 s). */
	@Override
	public void close() {
		Process running = this.process;
		this.process = null;
		if (running != null) {
			running.destroy();
			try {
				running.onExit().get(30, TimeUnit.SECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				running.destroyForcibly();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				running.destroyForcibly();
			}
		}
	}

	/** Polls the readiness probe; fails at once if the child exits. */
	private void awaitReady(Duration timeout) {
		HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			Awaitility.await(this.name + " ready")
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptionsInstanceOf(IOException.class)
				.until(() -> {
					Process running = this.process;
					if (running == null || !running.isAlive()) {
						throw new IllegalStateException(this.name + " exited during start-up; see " + this.log);
					}
					return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
				});
		}
		catch (ConditionTimeoutException ex) {
			close();
			throw new IllegalStateException(this.name + " was not ready within " + timeout + "; see " + this.log, ex);
		}
	}

	private static String testSupportLocation() {
		try {
			return Path.of(ServiceProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
