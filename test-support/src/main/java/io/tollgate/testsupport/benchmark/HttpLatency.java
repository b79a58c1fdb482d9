package io.tollgate.testsupport.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Latency of a service's {@code GET} endpoints as one client sees it: sequential requests
 * over one kept-alive HTTP/1.1 connection, each timed from send to the last byte of the
 * answer. With one request in flight at a time, the figures are the service's own time
 * per request (plus the loopback), not queueing in the client.
 */
public final class HttpLatency {

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	private final Map<String, String> headers;

	/**
	 * Creates a client.
	 * @param baseUrl the service, e.g. {@code http://127.0.0.1:40123}
	 * @param headers headers every request carries, e.g. the front door's
	 */
	public HttpLatency(String baseUrl, Map<String, String> headers) {
		this.baseUrl = baseUrl;
		this.headers = Map.copyOf(headers);
	}

	/**
	 * Sends one request.
	 * @param pathAndQuery e.g. {@code /v1/spend/current?tenant_id=acme}
	 * @return the answer's body
	 * @throws IllegalStateException unless the answer is 200
	 */
	public byte[] get(String pathAndQuery) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + pathAndQuery))
			.timeout(Duration.ofSeconds(30))
			.GET();
		this.headers.forEach(request::header);
		return send(request.build());
	}

	/**
	 * Sends one request and times it.
	 * @param pathAndQuery e.g. {@code /v1/spend/current?tenant_id=acme}
	 * @return nanoseconds from send to the last byte
	 */
	public long time(String pathAndQuery) {
		long start = System.nanoTime();
		get(pathAndQuery);
		return System.nanoTime() - start;
	}

	/**
	 * Measures one request: a warm-up, then the measured requests.
	 * @param name a name for the report
	 * @param pathAndQuery the request
	 * @param warmup requests not recorded
	 * @param measured requests recorded
	 * @return the latencies, with the first answer's body
	 */
	public Latencies measure(String name, String pathAndQuery, int warmup, int measured) {
		byte[] first = get(pathAndQuery);
		for (int i = 0; i < warmup; i++) {
			get(pathAndQuery);
		}
		long[] nanos = new long[measured];
		for (int i = 0; i < measured; i++) {
			nanos[i] = time(pathAndQuery);
		}
		return new Latencies(name, nanos, first);
	}

	private byte[] send(HttpRequest request) {
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
						+ new String(response.body(), StandardCharsets.UTF_8));
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The latencies of one request.
	 *
	 * @param name the request's name
	 * @param nanos each measured request, in order
	 * @param body the body of the first answer (before the warm-up)
	 */
	public record Latencies(String name, long[] nanos, byte[] body) {

		/** The columns of {@link #cells()}. */
		public static final List<String> HEADER = List.of("requests", "p50 ms", "p90 ms", "p99 ms", "max ms",
				"mean ms");

		/**
		 * A percentile (nearest rank).
		 * @param percentile from 0 to 100; 100 is the maximum
		 * @return milliseconds
		 */
		public double millis(double percentile) {
			long[] sorted = this.nanos.clone();
			Arrays.sort(sorted);
			if (sorted.length == 0) {
				return 0;
			}
			int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
		}

		/**
		 * The mean.
		 * @return milliseconds
		 */
		public double meanMillis() {
			return Arrays.stream(this.nanos).average().orElse(0) / 1e6;
		}

		/**
		 * Count, p50, p90, p99, max and mean, as report cells ({@link #HEADER}).
		 * @return the cells
		 */
		public List<String> cells() {
			return List.of(Report.count(this.nanos.length), Report.millis(millis(50)), Report.millis(millis(90)),
					Report.millis(millis(99)), Report.millis(millis(100)), Report.millis(meanMillis()));
		}

	}

}
