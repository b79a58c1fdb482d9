package io.tollgate.billing.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code GET /v1/spend} (snake_case on the wire, like the rest of the API).
 *
 * @param data every bucket of the page in time order, empty ones included (as the usage
 * API does)
 * @param hasMore whether buckets after this page remain in the query's range
 * @param nextPage the {@code page} parameter that reads them, {@code null} on the last
 * page
 */
record SpendReport(List<Bucket> data, boolean hasMore, @Nullable String nextPage) {

	/**
	 * Lays the rows of a page out in its buckets, listing every bucket of the page range.
	 * @param query the query, which decides the page range
	 * @param rows the page's rows
	 * @return the page
	 */
	static SpendReport of(SpendQuery query, List<SpendRow> rows) {
		Map<Instant, List<Result>> byBucket = new HashMap<>();
		for (SpendRow row : rows) {
			byBucket.computeIfAbsent(row.bucketStart(), (start) -> new ArrayList<>()).add(row.result());
		}
		List<Bucket> buckets = new ArrayList<>();
		for (Instant start : query.page().bucketStarts()) {
			buckets.add(new Bucket(start, start.plus(query.page().width().duration()),
					byBucket.getOrDefault(start, List.of())));
		}
		return new SpendReport(buckets, query.page().hasMore(), query.page().nextPage());
	}

	/**
	 * One time bucket.
	 *
	 * @param startingAt the bucket's start
	 * @param endingAt the bucket's end (exclusive)
	 * @param results one entry per combination of the grouped dimensions that has spend;
	 * without grouping at most one
	 */
	record Bucket(Instant startingAt, Instant endingAt, List<Result> results) {

	}

	/**
	 * The spend of one group in one bucket. Dimensions the query did not group by are
	 * left out of the JSON rather than written as {@code null}.
	 *
	 * @param apiKeyId the key, when grouped by {@code api_key_id}
	 * @param model the model, when grouped by {@code model} (the catalog model, or the
	 * reported one when unpriced)
	 * @param tokenKind the token kind, when grouped by {@code token_kind}
	 * @param amount the exact amount in USD, a plain decimal, never rounded
	 * @param currency always {@code USD}
	 * @param quantity tokens, all kinds of the group together
	 * @param unpriced whether any of the amount was priced by the fallback rule because
	 * the model had no price of its own
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Result(@Nullable String apiKeyId, @Nullable String model, @Nullable String tokenKind, String amount,
			String currency, long quantity, boolean unpriced) {

	}

}
