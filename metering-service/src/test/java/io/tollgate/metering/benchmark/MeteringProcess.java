package io.tollgate.metering.benchmark;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.ServiceProcess;
import org.jspecify.annotations.Nullable;

/**
 * The metering service run from its packaged jar as a child JVM, like
 * {@link ServiceProcess#ofJar} but with JVM options of the benchmark's choosing.
 *
 * <p>
 * {@code ServiceProcess} starts services for tests: a 512 MB heap, the serial collector
 * and C1 only ({@code -XX:TieredStopAtLevel=1}), which start fast and are the wrong
 * settings to measure throughput with, since production runs the jar with the JVM's
 * defaults (full tiered compilation, G1). The child still runs under
 * {@link ServiceProcess.ParentWatch}, so it dies with the benchmark.
 */
final class MeteringProcess implements AutoCloseable {

	/**
	 * The JVM options when {@code METERING_JAVA_OPTIONS} is not set: the JVM's defaults
	 * (as in the Dockerfile) with a fixed 1 GB heap, so that heap sizing does not vary
	 * between runs.
	 */
	static final String DEFAULT_JVM_OPTIONS = "-Xms1g -Xmx1g -XX:+ExitOnOutOfMemoryError";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<String> command;

	private final Path log;

	private final int port;

	private @Nullable Process process;

	MeteringProcess(Path jar, String bootstrapServers, PostgresService database, Map<String, String> properties,
			List<String> jvmOptions, Path log) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalArgumentException(jar.toAbsolutePath() + " does not exist: package metering first");
		}
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

	/** Starts the child and returns once its readiness probe answers 200. */
	MeteringProcess start() {
		try {
			Files.createDirectories(this.log.toAbsolutePath().getParent());
			Files.writeString(this.log, "=== " + String.join(" ", this.command) + System.lineSeparator(),
					StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start metering", ex);
		}
		awaitReady(Duration.ofSeconds(120));
		return this;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	long pid() {
		Process running = this.process;
		if (running == null) {
			throw new IllegalStateException("metering is not running");
		}
		return running.pid();
	}

	String command() {
		return String.join(" ", this.command);
	}

	/** The service's Prometheus scrape. */
	String prometheus() {
		try {
			return http
				.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
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

	private void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		while (System.nanoTime() < deadline) {
			Process running = this.process;
			if (running == null || !running.isAlive()) {
				throw new IllegalStateException("metering exited during start-up; see " + this.log);
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
				throw new IllegalStateException("interrupted while starting metering", ex);
			}
			sleep(Duration.ofMillis(200));
		}
		close();
		throw new IllegalStateException("metering was not ready within " + timeout + "; see " + this.log);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
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
