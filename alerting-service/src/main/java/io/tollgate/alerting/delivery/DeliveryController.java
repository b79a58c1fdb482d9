package io.tollgate.alerting.delivery;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.alerting.webhook.EndpointStore;
import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * What became of the messages to one of the tenant's endpoints: the latest deliveries
 * with every attempt (status, latency, the first KiB of the answer, or the error), and a
 * re-send by hand of a delivered or failed one (one more attempt now, with the same
 * {@code webhook-id}, and the rest of the retry schedule if it fails).
 */
@RestController
class DeliveryController {

	private static final int MAX_LIMIT = 100;

	private final DeliveryQueue queue;

	private final EndpointStore endpoints;

	private final DeliveryWorker worker;

	private final Clock clock;

	DeliveryController(DeliveryQueue queue, EndpointStore endpoints, DeliveryWorker worker, Clock clock) {
		this.queue = queue;
		this.endpoints = endpoints;
		this.worker = worker;
		this.clock = clock;
	}

	@GetMapping("/v1/webhooks/{endpointId}/deliveries")
	Mono<Map<String, Object>> deliveries(ServerWebExchange exchange, @PathVariable String endpointId) {
		String tenant = tenant(exchange);
		int limit = QueryParams.limit(exchange.getRequest().getQueryParams(), 20, MAX_LIMIT);
		return this.endpoints.find(tenant, endpointId)
			.switchIfEmpty(Mono.error(DeliveryController::endpointNotFound))
			.flatMap((endpoint) -> this.queue.recent(tenant, endpointId, limit))
			.map((logged) -> Map.of("data", logged.stream().map(DeliveryController::view).toList()));
	}

	@PostMapping("/v1/webhooks/{endpointId}/deliveries/{deliveryId}/resend")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<Map<String, Object>> resend(ServerWebExchange exchange, @PathVariable String endpointId,
			@PathVariable String deliveryId) {
		String tenant = tenant(exchange);
		return this.queue.resend(tenant, endpointId, deliveryId, this.clock.instant()).flatMap((rows) -> {
			if (rows == 0) {
				return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "delivery_not_found",
						"no delivered or failed message of this endpoint has that id (one still pending is sent "
								+ "on its own)"));
			}
			this.worker.wake();
			return Mono.just(Map.<String, Object>of("delivery_id", deliveryId, "status", "pending"));
		});
	}

	private static Map<String, Object> view(DeliveryQueue.Logged logged) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("delivery_id", logged.deliveryId());
		view.put("event_type", logged.eventType());
		view.put("status", logged.status());
		view.put("created_at", logged.createdAt().toString());
		view.put("next_attempt_at", (logged.nextAttemptAt() != null) ? logged.nextAttemptAt().toString() : null);
		List<Map<String, Object>> attempts = logged.attempts().stream().map((attempt) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("attempt", attempt.attempt());
			entry.put("attempted_at", attempt.attemptedAt().toString());
			entry.put("status_code", attempt.statusCode());
			entry.put("latency_ms", attempt.latencyMillis());
			entry.put("response_excerpt", attempt.responseExcerpt());
			entry.put("error", attempt.error());
			return entry;
		}).toList();
		view.put("attempts", attempts);
		return view;
	}

	private static String tenant(ServerWebExchange exchange) {
		return Callers.tenant(exchange,
				QueryParams.single(exchange.getRequest().getQueryParams(), FrontDoorHeaders.TENANT_QUERY_PARAMETER));
	}

	private static ApiException endpointNotFound() {
		return new ApiException(HttpStatus.NOT_FOUND, "endpoint_not_found",
				"no webhook endpoint of this tenant has that id");
	}

}
