package io.tollgate.billing.spend;

import java.time.Clock;
import java.util.List;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.web.Callers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /v1/spend/current}: period-to-date spend of the caller's tenant (or of one
 * of its keys, with {@code api_key_id}), and its forecast for the period's end.
 */
@RestController
class CurrentSpendController {

	private final SpendStore store;

	private final Clock clock;

	CurrentSpendController(SpendStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@GetMapping("/v1/spend/current")
	Mono<CurrentSpend> current(ServerWebExchange exchange,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant,
			@RequestParam(name = "api_key_id", required = false) @Nullable String apiKeyId) {
		String tenantId = Callers.tenant(exchange, tenant);
		String key = (apiKeyId != null) ? apiKeyId.strip() : "";
		return this.store.current(List.of(new SpendStore.Scope(tenantId, key)), this.clock.instant())
			.next()
			.map(CurrentSpend::of);
	}

}
