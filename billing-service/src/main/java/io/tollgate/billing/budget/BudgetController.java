package io.tollgate.billing.budget;

import java.util.Map;
import java.util.regex.Pattern;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code /v1/budgets}: a tenant reads its budgets with any of its keys; only the admin
 * credential sets, changes and removes them (an application key that could raise its own
 * cap would make the cap pointless). The admin names the tenant with {@code tenant_id},
 * as on every tenant route.
 */
@RestController
class BudgetController {

	static final String BUDGET_NOT_FOUND = "budget_not_found";

	private static final Pattern KEY_ID = Pattern.compile("\\S{1,200}");

	private final BudgetStore store;

	BudgetController(BudgetStore store) {
		this.store = store;
	}

	@GetMapping("/v1/budgets")
	Mono<Map<String, Object>> list(ServerWebExchange exchange,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant) {
		String tenantId = tenant(exchange, tenant);
		return this.store.list(tenantId).collectList().map((budgets) -> Map.of("tenant_id", tenantId, "data", budgets));
	}

	@GetMapping("/v1/budgets/tenant")
	Mono<Budget> tenantBudget(ServerWebExchange exchange,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant) {
		String tenantId = tenant(exchange, tenant);
		return this.store.find(tenantId, "").switchIfEmpty(Mono.error(() -> notFound(tenantId, "")));
	}

	@GetMapping("/v1/budgets/keys/{apiKeyId}")
	Mono<Budget> keyBudget(ServerWebExchange exchange, @PathVariable String apiKeyId,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant) {
		String tenantId = tenant(exchange, tenant);
		String key = keyId(apiKeyId);
		return this.store.find(tenantId, key).switchIfEmpty(Mono.error(() -> notFound(tenantId, key)));
	}

	@PutMapping("/v1/budgets/tenant")
	Mono<Budget> setTenantBudget(ServerWebExchange exchange,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant,
			@RequestBody(required = false) @Nullable Mono<String> body) {
		String tenantId = adminTenant(exchange, tenant);
		return change(body, false).flatMap((change) -> this.store.knowsTimeZone(change.timeZone())
			.flatMap((known) -> known ? this.store.put(tenantId, "", change)
					: Mono.error(ApiException.invalidParameter("time_zone",
							"time_zone " + change.timeZone() + " is not in PostgreSQL's time zone database"))));
	}

	@PutMapping("/v1/budgets/keys/{apiKeyId}")
	Mono<Budget> setKeyBudget(ServerWebExchange exchange, @PathVariable String apiKeyId,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant,
			@RequestBody(required = false) @Nullable Mono<String> body) {
		String tenantId = adminTenant(exchange, tenant);
		String key = keyId(apiKeyId);
		return change(body, true).flatMap((change) -> this.store.put(tenantId, key, change));
	}

	@DeleteMapping("/v1/budgets/tenant")
	Mono<ResponseEntity<Void>> deleteTenantBudget(ServerWebExchange exchange,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant) {
		return delete(adminTenant(exchange, tenant), "");
	}

	@DeleteMapping("/v1/budgets/keys/{apiKeyId}")
	Mono<ResponseEntity<Void>> deleteKeyBudget(ServerWebExchange exchange, @PathVariable String apiKeyId,
			@RequestParam(name = FrontDoorHeaders.TENANT_QUERY_PARAMETER, required = false) @Nullable String tenant) {
		return delete(adminTenant(exchange, tenant), keyId(apiKeyId));
	}

	private Mono<ResponseEntity<Void>> delete(String tenantId, String key) {
		return this.store.delete(tenantId, key)
			.flatMap((deleted) -> deleted ? Mono.just(ResponseEntity.noContent().<Void>build())
					: Mono.error(notFound(tenantId, key)));
	}

	private Mono<BudgetChange> change(@Nullable Mono<String> body, boolean forKey) {
		Mono<String> text = (body != null) ? body : Mono.empty();
		return text
			.switchIfEmpty(Mono.error(() -> ApiException.invalidParameter("body",
					"the body must be a JSON object with cap_usd, and optionally "
							+ (forKey ? "" : "period, time_zone, ") + "alert_thresholds and pause_at_cap")))
			.map((json) -> BudgetChange.parse(json, forKey));
	}

	private static String tenant(ServerWebExchange exchange, @Nullable String tenant) {
		return Callers.tenant(exchange, tenant);
	}

	private static String adminTenant(ServerWebExchange exchange, @Nullable String tenant) {
		Callers.requireAdmin(exchange,
				"Budgets are set, changed and removed with the admin credential only; tenant keys may read them");
		return tenant(exchange, tenant);
	}

	private static String keyId(String apiKeyId) {
		if (!KEY_ID.matcher(apiKeyId).matches()) {
			throw ApiException.invalidParameter("api_key_id", "api_key_id must be 1 to 200 characters, no spaces");
		}
		return apiKeyId;
	}

	private static ApiException notFound(String tenantId, String key) {
		return new ApiException(HttpStatus.NOT_FOUND, BUDGET_NOT_FOUND, key.isEmpty()
				? "Tenant " + tenantId + " has no budget" : "Key " + key + " of tenant " + tenantId + " has no budget");
	}

}
