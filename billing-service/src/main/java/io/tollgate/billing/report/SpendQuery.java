package io.tollgate.billing.report;

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

/**
 * One validated request of {@code GET /v1/spend}: which tenant, which buckets, how
 * grouped, and which page.
 *
 * <p>
 * The time parameters ({@code starting_at}, {@code ending_at}, {@code bucket_width},
 * {@code limit}) and the paging ({@code page}, {@code next_page}) follow the rules the
 * usage API uses ({@link BucketRange}, {@link BucketPage}): pages are cut by time and
 * list every bucket of their range, and a token is valid only with the parameters of the
 * query that issued it. Spend is kept per hour, so it offers hour and day buckets, days
 * by default, with the usage API's page sizes and longest ranges.
 *
 * @param tenantId the tenant whose spend is read
 * @param page the buckets queried and the page requested
 * @param groupBy the dimensions results are grouped by, distinct, in {@link SpendGroupBy}
 * declaration order
 */
record SpendQuery(String tenantId, BucketPage page, List<SpendGroupBy> groupBy) {

	static final BucketRules BUCKETS = BucketRules.of(BucketWidth.ONE_DAY, BucketWidth.ONE_HOUR, BucketWidth.ONE_DAY);

	static final String GROUP_BY = "group_by";

	SpendQuery {
		groupBy = List.copyOf(groupBy);
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
	static SpendQuery parse(String tenantId, Map<String, List<String>> params, Instant now) {
		BucketRange range = BucketRange.parse(params, BUCKETS, now);
		List<SpendGroupBy> groupBy = QueryParams.wireValues(params, GROUP_BY, SpendGroupBy.class);
		List<String> parts = new ArrayList<>();
		// Named, so that a usage API token is never taken for one of this API's.
		parts.add("spend");
		parts.add(tenantId);
		parts.addAll(range.identity());
		parts.add(String.join(",", groupBy.stream().map(SpendGroupBy::wire).toList()));
		String queryId = PageToken.queryId(parts);
		return new SpendQuery(tenantId, range.page(QueryParams.single(params, PageToken.PARAM), queryId), groupBy);
	}

}
