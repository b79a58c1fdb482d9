package io.tollgate.metering.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.BucketWidth;
import io.tollgate.metering.config.MeteringProperties;
import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.query.BucketRange;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /v1/usage}: a tenant's usage in time buckets, one page of buckets per
 * request. The parameters and the paging are described on {@link UsageQuery}.
 */
@RestController
class UsageController {

	private final UsageStore store;

	private final Clock clock;

	private final Duration minuteRetention;

	UsageController(UsageStore store, Clock clock, MeteringProperties properties) {
		this.store = store;
		this.clock = clock;
		this.minuteRetention = properties.retention().minuteBuckets();
	}

	@GetMapping("/v1/usage")
	Mono<UsageReport> usage(ServerWebExchange exchange) {
		Map<String, List<String>> params = exchange.getRequest().getQueryParams();
		// Who may read which tenant is decided before the parameters are looked at, so
		// that a caller without access learns nothing from validation messages.
		String tenantId = Callers.tenant(exchange, QueryParams.single(params, FrontDoorHeaders.TENANT_QUERY_PARAMETER));
		Instant now = this.clock.instant();
		UsageQuery query = UsageQuery.parse(tenantId, params, now);
		// Minute buckets older than their retention are gone: an empty answer would read
		// as "no usage", so say so instead.
		if (query.width() == BucketWidth.ONE_MINUTE
				&& query.startingAt().isBefore(BucketWidth.ONE_MINUTE.bucketStart(now.minus(this.minuteRetention)))) {
			throw ApiException.invalidParameter(BucketRange.STARTING_AT, "minute buckets are kept for "
					+ this.minuteRetention.toDays() + " days; use bucket_width=1h or 1d for older usage");
		}
		return this.store.page(query).collectList().map((rows) -> UsageReport.of(query, rows));
	}

}
