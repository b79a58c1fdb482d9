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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.tollgate.contract.EventCodec;
import io.tollgate.testsupport.ServiceProcess;
import io.tollgate.testsupport.TestInfrastructure;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The deployed stack for system tests: metering, billing and the gateway as processes
 * from their packaged jars, each with a database of its own, the gateway's front door
 * routing the usage API to metering and the spend, statement, budget and price APIs to
 * billing. Started once per test JVM, stopped when it exits.
 */
final class Stack {

	static final String ADMIN_TOKEN = "system-test-admin-token-0123456789abcdef";

	static final String INTERNAL_TOKEN = "system-test-internal-token-0123456789";

	private static @Nullable Stack running;

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final ServiceProcess metering;

	final ServiceProcess billing;

	final ServiceProcess gateway;

	private Stack(ServiceProcess metering, ServiceProcess billing, ServiceProcess gateway) {
		this.metering = metering;
		this.billing = billing;
		this.gateway = gateway;
	}

	static synchronized Stack get() {
		Stack stack = running;
		if (stack == null) {
			ServiceProcess metering = ServiceProcess.ofJar("metering", jar("metering-service"),
					TestInfrastructure.freshPostgresDatabase(),
					Map.of("tollgate.service.internal-token", INTERNAL_TOKEN, "spring.kafka.consumer.group-id",
							"system-test-metering-" + UUID.randomUUID(), "tollgate.metering.topics.partitions", "3"))
				.start();
			ServiceProcess billing = ServiceProcess
				.ofJar("billing", jar("billing-service"), TestInfrastructure.freshPostgresDatabase(),
						Map.of("tollgate.service.internal-token", INTERNAL_TOKEN, "spring.kafka.consumer.group-id",
								"system-test-billing-" + UUID.randomUUID(), "tollgate.billing.topics.partitions", "3"))
				.start();
			Map<String, String> gatewaySettings = new HashMap<>();
			gatewaySettings.put("tollgate.gateway.admin-token", ADMIN_TOKEN);
			gatewaySettings.put("tollgate.service.internal-token", INTERNAL_TOKEN);
			gatewaySettings.put("tollgate.gateway.usage.spool-directory",
					Path.of("target", "tmp", "spool-" + UUID.randomUUID()).toAbsolutePath().toString());
			gatewaySettings.put("tollgate.gateway.usage.topic-partitions", "3");
			List<String[]> routes = List.of(new String[] { "/v1/usage", metering.baseUrl(), "tenant" },
					new String[] { "/v1/spend", billing.baseUrl(), "tenant" },
					new String[] { "/v1/statements", billing.baseUrl(), "tenant" },
					new String[] { "/v1/budgets", billing.baseUrl(), "tenant" },
					new String[] { "/admin/v1/prices", billing.baseUrl(), "admin" });
			for (int i = 0; i < routes.size(); i++) {
				String route = "tollgate.gateway.front-door.routes[" + i + "].";
				gatewaySettings.put(route + "path-prefix", routes.get(i)[0]);
				gatewaySettings.put(route + "service-url", routes.get(i)[1]);
				gatewaySettings.put(route + "access", routes.get(i)[2]);
			}
			ServiceProcess gateway = ServiceProcess
				.ofJar("gateway", jar("gateway-service"), TestInfrastructure.freshPostgresDatabase(), gatewaySettings)
				.start();
			stack = new Stack(metering, billing, gateway);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				gateway.kill();
				billing.kill();
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

	/**
	 * A tenant's key as the gateway's admin API creates it.
	 *
	 * @param tenantId the tenant
	 * @param keyId the key's id
	 * @param secret the {@code tg_} key, shown once
	 */
	record Key(String tenantId, String keyId, String secret) {

	}

	/** Creates a tenant and one key through the gateway's admin API. */
	Key newTenantKey(String name) {
		String admin = "Bearer " + ADMIN_TOKEN;
		Answer tenant = call("POST", this.gateway.baseUrl() + "/admin/v1/tenants",
				"{\"name\":\"" + name + "-" + UUID.randomUUID() + "\"}", "authorization", admin);
		if (tenant.status() != 200 && tenant.status() != 201 || tenant.json() == null) {
			throw new IllegalStateException("creating a tenant: " + tenant.status() + " " + tenant.body());
		}
		String tenantId = tenant.json().get("id").asString();
		Answer key = call("POST", this.gateway.baseUrl() + "/admin/v1/tenants/" + tenantId + "/keys",
				"{\"name\":\"system-test\"}", "authorization", admin);
		if (key.status() != 200 && key.status() != 201 || key.json() == null) {
			throw new IllegalStateException("creating a key: " + key.status() + " " + key.body());
		}
		return new Key(tenantId, key.json().get("id").asString(), key.json().get("key").asString());
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
