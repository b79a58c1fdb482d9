package io.tollgate.billing.report;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.Callers;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /v1/spend}: a tenant's cost in hour or day buckets, optionally grouped by
 * key, model and token kind, one page of buckets per request. The parameters and the
 * paging are described on {@link SpendQuery}; the rows come from {@link ReportStore}.
 */
@RestController
class SpendReportController {

	private final ReportStore store;

	private final Clock clock;

	SpendReportController(ReportStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@GetMapping("/v1/spend")
	Mono<SpendReport> spend(ServerWebExchange exchange) {
		Map<String, List<String>> params = exchange.getRequest().getQueryParams();
		// Who may read which tenant is decided before the parameters are looked at, so
		// that a caller without access learns nothing from validation messages.
		String tenantId = Callers.tenant(exchange, QueryParams.single(params, FrontDoorHeaders.TENANT_QUERY_PARAMETER));
		SpendQuery query = SpendQuery.parse(tenantId, params, this.clock.instant());
		return this.store.page(query).collectList().map((rows) -> SpendReport.of(query, rows));
	}

}
