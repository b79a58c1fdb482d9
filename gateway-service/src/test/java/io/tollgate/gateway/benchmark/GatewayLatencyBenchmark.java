package io.tollgate.gateway.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.tollgate.gateway.GatewayApplication;
import io.tollgate.simulator.ProviderSimulator;
import io.tollgate.simulator.Script;
import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.PostgresService;
import io.tollgate.testsupport.TestInfrastructure;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway's added latency, measured: the same requests at the same fixed rate, sent
 * to the provider simulator directly and through the gateway, in one run, non-streaming
 * and streaming. Not a test; run it as docs/benchmarks.md says.
 *
 * <p>
 * Method: an open-loop load generator sends requests on a fixed schedule (so a slow
 * answer does not delay the next request and hide itself: latency is measured from the
 * scheduled send time to the last byte of the answer). Each phase runs a warm-up that is
 * not recorded, then a measured period; percentiles come from every measured request. The
 * gateway runs with real Kafka and PostgreSQL from test-support, publishing every call's
 * usage event.
 *
 * <p>
 * Arguments (all optional): rate per second (2000), warm-up seconds (10), measured
 * seconds (20), output file (target/benchmark-gateway.md).
 */
public final class GatewayLatencyBenchmark {

	private static final String ADMIN_TOKEN = "benchmark-admin-token-0123456789abcdef";

	private static final String JSON_REQUEST = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":256,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";

	private static final String STREAM_REQUEST = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":256,\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";

	private GatewayLatencyBenchmark() {
	}

	record Result(String name, int rate, long sent, long ok, long failed, double seconds, long[] latenciesNanos) {

		double percentileMillis(double percentile) {
			if (this.latenciesNanos.length == 0) {
				return Double.NaN;
			}
			int index = (int) Math.ceil(percentile / 100.0 * this.latenciesNanos.length) - 1;
			return this.latenciesNanos[Math.max(0, Math.min(index, this.latenciesNanos.length - 1))] / 1e6;
		}

		double throughput() {
			return this.ok / this.seconds;
		}

	}

	public static void main(String[] args) throws Exception {
		int rate = (args.length > 0) ? Integer.parseInt(args[0]) : 2000;
		int warmup = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		int measured = (args.length > 2) ? Integer.parseInt(args[2]) : 20;
		Path output = Path.of((args.length > 3) ? args[3] : "target/benchmark-gateway.md");

		KafkaService kafka = TestInfrastructure.kafka();
		PostgresService postgres = TestInfrastructure.postgres();
		try (ProviderSimulator simulator = ProviderSimulator.start()) {
			simulator.setRecording(false);
			simulator.setDefault(Script.builder().inputTokens(20).outputTokens(12).chunks(8).build());
			ConfigurableApplicationContext gateway = startGateway(kafka, postgres, simulator);
			try {
				int gatewayPort = ((WebServerApplicationContext) gateway).getWebServer().getPort();
				String key = createKey(gatewayPort);
				LoopResources loops = LoopResources.create("load", 1, true);
				HttpClient client = HttpClient.create(ConnectionProvider.builder("load").maxConnections(512).build())
					.runOn(loops)
					.compress(false);
				String direct = simulator.baseUrl();
				String viaGateway = "http://127.0.0.1:" + gatewayPort;
				// JIT warm-up of every path first, so that no measured phase pays for
				// compiling
				// code the next phase reuses.
				int warmupRate = Math.min(rate, 1000);
				for (String target : List.of(direct, viaGateway)) {
					String auth = target.equals(viaGateway) ? key : null;
					run("warm-up " + target, client, target, JSON_REQUEST, auth, warmupRate, warmup, 1);
					run("warm-up " + target, client, target, STREAM_REQUEST, auth, warmupRate, warmup, 1);
				}
				List<Result> results = new ArrayList<>();
				results.add(run("direct, JSON", client, direct, JSON_REQUEST, null, rate, warmup, measured));
				results.add(run("gateway, JSON", client, viaGateway, JSON_REQUEST, key, rate, warmup, measured));
				results.add(run("direct, SSE stream", client, direct, STREAM_REQUEST, null, rate, warmup, measured));
				results
					.add(run("gateway, SSE stream", client, viaGateway, STREAM_REQUEST, key, rate, warmup, measured));
				String report = report(results, rate, warmup, measured);
				System.out.println(report);
				Files.createDirectories(output.toAbsolutePath().getParent());
				Files.writeString(output, report, StandardCharsets.UTF_8);
				loops.disposeLater().block();
			}
			finally {
				gateway.close();
			}
		}
		System.exit(0);
	}

	private static Result run(String name, HttpClient client, String baseUrl, String body, String key, int rate,
			int warmupSeconds, int measuredSeconds) throws InterruptedException {
		System.out.printf("%s: %d requests/s, %d s warm-up, %d s measured%n", name, rate, warmupSeconds,
				measuredSeconds);
		HttpClient target = client.baseUrl(baseUrl).headers((headers) -> {
			headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
			headers.set("anthropic-version", "2023-06-01");
			if (key != null) {
				headers.set("x-api-key", key);
			}
		});
		quiesce();
		phase(target, body, rate, warmupSeconds, null);
		long[] latencies = new long[rate * measuredSeconds];
		Counts counts = phase(target, body, rate, measuredSeconds, latencies);
		long[] recorded = Arrays.copyOf(latencies, counts.ok.get());
		Arrays.sort(recorded);
		return new Result(name, rate, counts.sent, counts.ok.get(), counts.failed.get(), measuredSeconds, recorded);
	}

	/**
	 * Lets the previous phase's leftovers (queued usage events, garbage) settle, so that
	 * one phase's backlog is not measured in the next.
	 */
	private static void quiesce() {
		System.gc();
		LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
	}

	private static final class Counts {

		long sent;

		final AtomicInteger ok = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

	}

	private static Counts phase(HttpClient client, String body, int rate, int seconds, long[] latencies)
			throws InterruptedException {
		Counts counts = new Counts();
		long total = (long) rate * seconds;
		CountDownLatch done = new CountDownLatch((int) total);
		long interval = 1_000_000_000L / rate;
		long start = System.nanoTime();
		for (long i = 0; i < total; i++) {
			long scheduled = start + i * interval;
			long wait = scheduled - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			counts.sent++;
			client.post()
				.uri("/v1/messages")
				.send(ByteBufFlux.fromString(Mono.just(body)))
				.responseSingle((response, content) -> content.asByteArray()
					.defaultIfEmpty(new byte[0])
					.map((bytes) -> response.status().code()))
				.subscribe((status) -> {
					if (status == 200) {
						int slot = counts.ok.getAndIncrement();
						if (latencies != null && slot < latencies.length) {
							latencies[slot] = System.nanoTime() - scheduled;
						}
					}
					else {
						counts.failed.incrementAndGet();
					}
					done.countDown();
				}, (error) -> {
					counts.failed.incrementAndGet();
					done.countDown();
				});
		}
		done.await(60, TimeUnit.SECONDS);
		return counts;
	}

	private static String report(List<Result> results, int rate, int warmup, int measured) {
		StringBuilder out = new StringBuilder();
		out.append("Rate ")
			.append(rate)
			.append(" requests/s, ")
			.append(warmup)
			.append(" s warm-up, ")
			.append(measured)
			.append(" s measured per phase, ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, Java ")
			.append(System.getProperty("java.version"))
			.append(".\n\n");
		out.append("| phase | sent | ok | failed | throughput/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|\n");
		for (Result result : results) {
			out.append(String.format("| %s | %d | %d | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", result.name(),
					result.sent(), result.ok(), result.failed(), result.throughput(), result.percentileMillis(50),
					result.percentileMillis(90), result.percentileMillis(99), result.percentileMillis(99.9),
					result.percentileMillis(100)));
		}
		out.append("\nAdded by the gateway (gateway minus direct, same percentile):\n\n");
		out.append("| mode | p50 ms | p90 ms | p99 ms | p99.9 ms |\n|---|---|---|---|---|\n");
		for (int i = 0; i + 1 < results.size(); i += 2) {
			Result direct = results.get(i);
			Result gateway = results.get(i + 1);
			out.append(String.format("| %s | %.3f | %.3f | %.3f | %.3f |%n", gateway.name().replace("gateway, ", ""),
					gateway.percentileMillis(50) - direct.percentileMillis(50),
					gateway.percentileMillis(90) - direct.percentileMillis(90),
					gateway.percentileMillis(99) - direct.percentileMillis(99),
					gateway.percentileMillis(99.9) - direct.percentileMillis(99.9)));
		}
		return out.toString();
	}

	private static ConfigurableApplicationContext startGateway(KafkaService kafka, PostgresService postgres,
			ProviderSimulator simulator) throws Exception {
		Path spool = Files.createTempDirectory("benchmark-spool");
		String[] arguments = { "--server.port=0", "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--spring.r2dbc.url=" + postgres.r2dbcUrl(), "--spring.r2dbc.username=" + postgres.username(),
				"--spring.r2dbc.password=" + postgres.password(), "--spring.flyway.url=" + postgres.jdbcUrl(),
				"--spring.flyway.user=" + postgres.username(), "--spring.flyway.password=" + postgres.password(),
				"--tollgate.gateway.admin-token=" + ADMIN_TOKEN,
				"--tollgate.service.internal-token=benchmark-internal-token-0123456789",
				"--tollgate.gateway.usage.spool-directory=" + spool,
				"--tollgate.gateway.providers.anthropic.base-url=" + simulator.baseUrl(), "--logging.level.root=WARN" };
		return new SpringApplicationBuilder(GatewayApplication.class).run(arguments);
	}

	private static String createKey(int port) {
		HttpClient admin = HttpClient.create().baseUrl("http://127.0.0.1:" + port).headers((headers) -> {
			headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + ADMIN_TOKEN);
			headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
		});
		admin.post()
			.uri("/admin/v1/tenants")
			.send(ByteBufFlux.fromString(Mono.just("{\"id\":\"benchmark\",\"name\":\"Benchmark\"}")))
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
		String created = admin.post()
			.uri("/admin/v1/tenants/benchmark/keys")
			.send(ByteBufFlux.fromString(Mono.just("{\"name\":\"load\"}")))
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
		Map<?, ?> key = JsonMapper.builder().build().readValue(created, Map.class);
		return (String) key.get("key");
	}

}
