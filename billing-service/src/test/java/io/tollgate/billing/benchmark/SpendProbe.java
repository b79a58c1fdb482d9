package io.tollgate.billing.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.testsupport.benchmark.BenchmarkRun;
import io.tollgate.testsupport.benchmark.HttpLatency;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/spend/current} as the admin asks it through the front door (the internal
 * token, {@code x-tollgate-caller: admin}, {@code ?tenant_id=}), straight to billing:
 * sequential requests over one kept-alive connection, either in the background while
 * billing prices under load ({@link #start}, taking the tenants in turn until
 * {@link #stop}), or a fixed number at a time ({@link #measure}).
 */
final class SpendProbe {

	private final HttpLatency http;

	private final Map<String, String> tenants;

	private final Map<String, List<Long>> recorded = new LinkedHashMap<>();

	private final AtomicLong failures = new AtomicLong();

	private volatile boolean running;

	private @Nullable Thread thread;

	private volatile @Nullable Exception firstFailure;

	/**
	 * Creates a probe.
	 * @param baseUrl billing
	 * @param internalToken the internal credential billing was started with
	 * @param tenants label (e.g. {@code largest}) to tenant id
	 */
	SpendProbe(String baseUrl, String internalToken, Map<String, String> tenants) {
		this.http = new HttpLatency(baseUrl, Map.of(FrontDoorHeaders.INTERNAL_TOKEN, internalToken,
				FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER));
		this.tenants = tenants;
		tenants.keySet().forEach((label) -> this.recorded.put(label, new ArrayList<>()));
	}

	static String path(String tenant) {
		return "/v1/spend/current?" + FrontDoorHeaders.TENANT_QUERY_PARAMETER + "=" + tenant;
	}

	/**
	 * Starts asking in the background, the tenants in turn, one request at a time; every
	 * request is recorded in the CSV with its start time.
	 * @param csv where each request goes ({@code label,t_s,millis})
	 */
	void start(BenchmarkRun.Csv csv) {
		this.running = true;
		long origin = System.nanoTime();
		this.thread = Thread.ofPlatform().name("spend-probe").start(() -> {
			while (this.running) {
				for (Map.Entry<String, String> tenant : this.tenants.entrySet()) {
					long start = System.nanoTime();
					try {
						long nanos = this.http.time(path(tenant.getValue()));
						this.recorded.get(tenant.getKey()).add(nanos);
						csv.row(String.format(java.util.Locale.ROOT, "%s,%.3f,%.3f", tenant.getKey(),
								(start - origin) / 1e9, nanos / 1e6));
					}
					catch (RuntimeException ex) {
						this.failures.incrementAndGet();
						if (this.firstFailure == null) {
							this.firstFailure = ex;
						}
					}
				}
			}
		});
	}

	/**
	 * Stops the background requests and waits for the one in flight.
	 * @return the latencies per tenant label
	 */
	Map<String, HttpLatency.Latencies> stop() throws InterruptedException {
		this.running = false;
		Thread started = this.thread;
		if (started != null) {
			started.join();
		}
		Map<String, HttpLatency.Latencies> latencies = new LinkedHashMap<>();
		this.recorded.forEach((label, nanos) -> latencies.put(label,
				new HttpLatency.Latencies(label, nanos.stream().mapToLong(Long::longValue).toArray(), new byte[0])));
		return latencies;
	}

	/**
	 * Requests that failed in the background (none is expected).
	 * @return the count and the first failure, or empty text
	 */
	String failures() {
		Exception first = this.firstFailure;
		return (first != null) ? this.failures.get() + " (first: " + first + ")" : "0";
	}

	/**
	 * Measures each tenant in turn: a warm-up, then the measured requests.
	 * @param warmup requests not recorded, per tenant
	 * @param requests requests recorded, per tenant
	 * @return the latencies per tenant label, with the first answer
	 */
	Map<String, HttpLatency.Latencies> measure(int warmup, int requests) {
		Map<String, HttpLatency.Latencies> latencies = new LinkedHashMap<>();
		this.tenants
			.forEach((label, tenant) -> latencies.put(label, this.http.measure(label, path(tenant), warmup, requests)));
		return latencies;
	}

}
