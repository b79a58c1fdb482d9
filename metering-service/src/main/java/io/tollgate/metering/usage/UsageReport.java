package io.tollgate.metering.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One page of the usage API's answer (snake_case on the wire, like the rest of the API).
 *
 * @param data every bucket of the page in time order, empty ones included
 * @param hasMore whether buckets after this page remain in the query's range
 * @param nextPage the {@code page} parameter that reads them, {@code null} on the last
 * page
 */
record UsageReport(List<Bucket> data, boolean hasMore, @Nullable String nextPage) {

	/**
	 * Lays the rows of a page out in its buckets, listing every bucket of the page range.
	 * @param query the query, which decides the page range
	 * @param rows the page's rows
	 * @return the page
	 */
	static UsageReport of(UsageQuery query, List<UsageRow> rows) {
		Map<Instant, List<Result>> byBucket = new HashMap<>();
		for (UsageRow row : rows) {
			byBucket.computeIfAbsent(row.bucketStart(), (start) -> new ArrayList<>()).add(row.result());
		}
		List<Bucket> buckets = new ArrayList<>();
		for (Instant start : query.page().bucketStarts()) {
			Instant bucketEnd = start.plus(query.width().duration());
			buckets.add(new Bucket(start, bucketEnd, byBucket.getOrDefault(start, List.of())));
		}
		return new UsageReport(buckets, query.hasMore(), query.nextPage());
	}

	/**
	 * One time bucket.
	 *
	 * @param startingAt the bucket's start
	 * @param endingAt the bucket's end (exclusive)
	 * @param results one entry per combination of the grouped dimensions that has usage;
	 * without grouping at most one
	 */
	record Bucket(Instant startingAt, Instant endingAt, List<Result> results) {

	}

	/**
	 * The usage of one group in one bucket. Dimensions the query did not group by are
	 * left out of the JSON rather than written as {@code null}.
	 *
	 * @param apiKeyId the key, when grouped by {@code api_key_id}
	 * @param model the model, when grouped by {@code model}
	 * @param provider the provider, when grouped by {@code provider}
	 * @param serviceTier the service tier, when grouped by {@code service_tier}
	 * @param contextTier the context tier, when grouped by {@code context_tier}
	 * @param requests calls counted, whatever their outcome
	 * @param successes calls that completed
	 * @param upstreamErrors calls the provider failed
	 * @param clientAborts calls the client abandoned (their usage still counts)
	 * @param uncachedInputTokens input tokens neither read from nor written to a cache
	 * @param outputTokens output tokens, reasoning tokens included
	 * @param cacheCreation input tokens written to a cache, by lifetime
	 * @param cacheReadInputTokens input tokens read from a cache
	 * @param reasoningTokens reasoning tokens, already part of {@code output_tokens}
	 * @param serverToolUses server-side tool requests the provider bills per request (web
	 * search, web fetch), all kinds together
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Result(@Nullable String apiKeyId, @Nullable String model, @Nullable String provider,
			@Nullable String serviceTier, @Nullable String contextTier, long requests, long successes,
			long upstreamErrors, long clientAborts, long uncachedInputTokens, long outputTokens,
			CacheCreation cacheCreation, long cacheReadInputTokens, long reasoningTokens, long serverToolUses) {

	}

	/**
	 * Cache writes by cache lifetime. Named explicitly: the snake_case strategy does not
	 * split a digit from the letters around it.
	 *
	 * @param ephemeral5mInputTokens tokens written to a five-minute cache
	 * @param ephemeral1hInputTokens tokens written to a one-hour cache
	 */
	record CacheCreation(@JsonProperty("ephemeral_5m_input_tokens") long ephemeral5mInputTokens,
			@JsonProperty("ephemeral_1h_input_tokens") long ephemeral1hInputTokens) {

	}

}
