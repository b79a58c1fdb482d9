package io.tollgate.metering.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency of {@code GET /v1/usage}, straight to the service with the front door's headers
 * for the admin caller: sequential requests over one kept-alive connection, timed from
 * send to the last byte of the answer.
 */
final class UsageApiLatency {

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String baseUrl;

	private final String internalToken;

	UsageApiLatency(String baseUrl, String internalToken) {
		this.baseUrl = baseUrl;
		this.internalToken = internalToken;
	}

	/**
	 * Runs one query: a warm-up, then the measured requests.
	 * @param name a name for the report
	 * @param query the query string, {@code tenant_id} included
	 * @param warmup requests not recorded
	 * @param measured requests recorded
	 * @return the result
	 */
	Result measure(String name, String query, int warmup, int measured) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/v1/usage?" + query))
			.header(FrontDoorHeaders.INTERNAL_TOKEN, this.internalToken)
			.header(FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER)
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
		byte[] first = send(request);
		JsonNode answer = this.json.readTree(first);
		int buckets = answer.path("data").size();
		int results = 0;
		long requests = 0;
		for (JsonNode bucket : answer.path("data")) {
			results += bucket.path("results").size();
			for (JsonNode result : bucket.path("results")) {
				requests += result.path("requests").asLong();
			}
		}
		for (int i = 0; i < warmup; i++) {
			send(request);
		}
		long[] nanos = new long[measured];
		for (int i = 0; i < measured; i++) {
			long start = System.nanoTime();
			send(request);
			nanos[i] = System.nanoTime() - start;
		}
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return new Result(name, query, buckets, results, requests, first.length, nanos, sorted);
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
	 * The latencies of one query.
	 *
	 * @param name the query's name
	 * @param query its query string
	 * @param buckets buckets in the answer
	 * @param results results (groups with usage) over all buckets
	 * @param requests the sum of {@code requests} over the answer
	 * @param bytes size of the answer
	 * @param nanos each measured request, in order
	 * @param sorted the same, sorted
	 */
	record Result(String name, String query, int buckets, int results, long requests, int bytes, long[] nanos,
			long[] sorted) {

		double millis(double percentile) {
			int index = (int) Math.ceil(percentile / 100.0 * this.sorted.length) - 1;
			return this.sorted[Math.max(0, Math.min(index, this.sorted.length - 1))] / 1e6;
		}

		double meanMillis() {
			return Arrays.stream(this.sorted).average().orElse(0) / 1e6;
		}

	}

}
