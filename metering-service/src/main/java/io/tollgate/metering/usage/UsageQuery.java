package io.tollgate.metering.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.BucketWidth;
import io.tollgate.support.query.BucketPage;
import io.tollgate.support.query.BucketRange;
import io.tollgate.support.query.BucketRules;
import io.tollgate.support.query.PageToken;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import org.jspecify.annotations.Nullable;

/**
 * One validated request of the usage API: which tenant, which buckets, how grouped and
 * filtered, and which page.
 *
 * <p>
 * The time parameters ({@code starting_at}, {@code ending_at}, {@code bucket_width},
 * {@code limit}) and the paging ({@code page}, {@code next_page}) follow the rules every
 * report API shares ({@link BucketRange}, {@link BucketPage}): pages are cut by time,
 * list every bucket of their range, and a token is valid only with the parameters of the
 * query that issued it. Usage offers minute, hour and day buckets, days by default.
 *
 * @param tenantId the tenant whose usage is read
 * @param page the buckets queried and the page requested
 * @param groupBy the dimensions results are grouped by, distinct, in {@link GroupBy}
 * declaration order
 * @param apiKeyIds only these keys, or all when empty
 * @param models only these models, or all when empty
 */
record UsageQuery(String tenantId, BucketPage page, List<GroupBy> groupBy, List<String> apiKeyIds,
		List<String> models) {

	static final BucketRules BUCKETS = BucketRules.of(BucketWidth.ONE_DAY, BucketWidth.ONE_MINUTE, BucketWidth.ONE_HOUR,
			BucketWidth.ONE_DAY);

	static final String GROUP_BY = "group_by";

	static final String API_KEY_IDS = "api_key_ids";

	static final String MODELS = "models";

	UsageQuery {
		groupBy = List.copyOf(groupBy);
		apiKeyIds = List.copyOf(apiKeyIds);
		models = List.copyOf(models);
	}

	/**
	 * Validates the query parameters of a request.
	 * @param tenantId the tenant the caller may read, already decided
	 * @param params the query parameters; unknown names are ignored
	 * @param now the current time, which bounds the default {@code ending_at}
	 * @return the query
	 * @throws ApiException a 400 {@code invalid_parameter} naming the first parameter
	 * found wrong
	 */
	static UsageQuery parse(String tenantId, Map<String, List<String>> params, Instant now) {
		BucketRange range = BucketRange.parse(params, BUCKETS, now);
		List<GroupBy> groupBy = QueryParams.wireValues(params, GROUP_BY, GroupBy.class);
		List<String> apiKeyIds = QueryParams.list(params, API_KEY_IDS);
		List<String> models = QueryParams.list(params, MODELS);
		String queryId = PageToken.queryId(normalised(tenantId, range, groupBy, apiKeyIds, models));
		BucketPage page = range.page(QueryParams.single(params, PageToken.PARAM), queryId);
		return new UsageQuery(tenantId, page, groupBy, apiKeyIds, models);
	}

	BucketWidth width() {
		return this.page.width();
	}

	Instant startingAt() {
		return this.page.range().startingAt();
	}

	Instant endingAt() {
		return this.page.range().endingAt();
	}

	int limit() {
		return this.page.range().limit();
	}

	Instant pageStart() {
		return this.page.pageStart();
	}

	/** End of the requested page (exclusive). */
	Instant pageEnd() {
		return this.page.pageEnd();
	}

	boolean hasMore() {
		return this.page.hasMore();
	}

	/** The token of the page after this one, {@code null} on the last page. */
	@Nullable String nextPage() {
		return this.page.nextPage();
	}

	String queryId() {
		return this.page.queryId();
	}

	private static List<String> normalised(String tenantId, BucketRange range, List<GroupBy> groupBy,
			List<String> apiKeyIds, List<String> models) {
		List<String> parts = new ArrayList<>();
		parts.add(tenantId);
		parts.addAll(range.identity());
		parts.add(String.join(",", groupBy.stream().map(GroupBy::wire).toList()));
		// Filters are sets: their order in the request does not make another query.
		parts.add(Integer.toString(apiKeyIds.size()));
		apiKeyIds.stream().sorted().forEach(parts::add);
		parts.add(Integer.toString(models.size()));
		models.stream().sorted().forEach(parts::add);
		return parts;
	}

}
