package io.tollgate.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.tollgate.contract.EventCodec;
import io.tollgate.testsupport.ServiceProcess;
import io.tollgate.testsupport.TestInfrastructure;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The deployed stack for system tests: metering and the gateway as processes from their
 * packaged jars, each with a database of its own, the gateway's front door routing the
 * usage API to metering. Started once per test JVM, stopped when it exits.
 */
final class Stack {

	static final String ADMIN_TOKEN = "system-test-admin-token-0123456789abcdef";

	static final String INTERNAL_TOKEN = "system-test-internal-token-0123456789";

	private static @Nullable Stack running;

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final ServiceProcess metering;

	final ServiceProcess gateway;

	private Stack(ServiceProcess metering, ServiceProcess gateway) {
		this.metering = metering;
		this.gateway = gateway;
	}

	static synchronized Stack get() {
		Stack stack = running;
		if (stack == null) {
			ServiceProcess metering = ServiceProcess.ofJar("metering", jar("metering-service"),
					TestInfrastructure.freshPostgresDatabase(),
					Map.of("tollgate.metering.internal-token", INTERNAL_TOKEN, "spring.kafka.consumer.group-id",
							"system-test-metering-" + UUID.randomUUID(), "tollgate.metering.topics.partitions", "3"))
				.start();
			ServiceProcess gateway = ServiceProcess.ofJar("gateway", jar("gateway-service"),
					TestInfrastructure.freshPostgresDatabase(),
					Map.of("tollgate.gateway.admin-token", ADMIN_TOKEN, "tollgate.gateway.front-door.internal-token",
							INTERNAL_TOKEN, "tollgate.gateway.front-door.routes[0].path-prefix", "/v1/usage",
							"tollgate.gateway.front-door.routes[0].service-url", metering.baseUrl(),
							"tollgate.gateway.usage.spool-directory",
							Path.of("target", "tmp", "spool-" + UUID.randomUUID()).toAbsolutePath().toString(),
							"tollgate.gateway.usage.topic-partitions", "3"))
				.start();
			stack = new Stack(metering, gateway);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				gateway.kill();
				metering.kill();
			}));
			running = stack;
		}
		return stack;
	}

	private static Path jar(String module) {
		Path target = Path.of("..", module, "target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().matches(module + "-[0-9].*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no packaged jar of " + module + " in " + target
						+ ": run the build from the root (./mvnw verify)"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** An HTTP answer with its JSON body (or {@code null} when it has none). */
	record Answer(int status, @Nullable JsonNode json, String body) {

	}

	static Answer call(String method, String url, @Nullable String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (headers.length > 0) {
			request.headers(headers);
		}
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("content-type", "application/json");
		}
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode json = null;
			if (!response.body().isEmpty() && response.headers()
				.firstValue("content-type")
				.map((type) -> type.contains("json"))
				.orElse(false)) {
				json = EventCodec.shared().mapper().readTree(response.body());
			}
			return new Answer(response.statusCode(), json, response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
