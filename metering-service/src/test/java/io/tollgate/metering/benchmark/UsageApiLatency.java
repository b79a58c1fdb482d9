package io.tollgate.metering.benchmark;

import java.util.Map;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.testsupport.benchmark.HttpLatency;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency of {@code GET /v1/usage}, straight to the service with the front door's headers
 * for the admin caller ({@link HttpLatency}: sequential, one kept-alive connection), and
 * what the answer held.
 */
final class UsageApiLatency {

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpLatency http;

	UsageApiLatency(String baseUrl, String internalToken) {
		this.http = new HttpLatency(baseUrl, Map.of(FrontDoorHeaders.INTERNAL_TOKEN, internalToken,
				FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER));
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
		HttpLatency.Latencies latencies = this.http.measure(name, "/v1/usage?" + query, warmup, measured);
		JsonNode answer = this.json.readTree(latencies.body());
		int buckets = answer.path("data").size();
		int results = 0;
		long requests = 0;
		for (JsonNode bucket : answer.path("data")) {
			results += bucket.path("results").size();
			for (JsonNode result : bucket.path("results")) {
				requests += result.path("requests").asLong();
			}
		}
		return new Result(query, buckets, results, requests, latencies);
	}

	/**
	 * The latencies of one query.
	 *
	 * @param query its query string
	 * @param buckets buckets in the answer
	 * @param results results (groups with usage) over all buckets
	 * @param requests the sum of {@code requests} over the answer
	 * @param latencies the measured requests
	 */
	record Result(String query, int buckets, int results, long requests, HttpLatency.Latencies latencies) {

		String name() {
			return this.latencies.name();
		}

		int bytes() {
			return this.latencies.body().length;
		}

	}

}
