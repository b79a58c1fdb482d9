package io.tollgate.alerting.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.alerting.alert.AlertStore;
import io.tollgate.alerting.alert.AlertType;
import io.tollgate.alerting.alert.WebhookPayloads;
import io.tollgate.alerting.config.AlertingProperties;
import io.tollgate.alerting.delivery.DeliveryWorker;
import io.tollgate.alerting.delivery.DestinationGuard;
import io.tollgate.contract.EventIds;
import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The tenant's webhook endpoints ({@code /v1/webhooks}): register one (the answer shows
 * its secret, the only time it is shown), list, read, change, delete, rotate the secret
 * (the old one keeps signing alongside the new for the grace period), and send a test
 * message. A URL is checked by {@link DestinationGuard} when it is set; the sender checks
 * the address again at every connection.
 */
@RestController
class EndpointController {

	private final EndpointStore store;

	private final SecretBox secrets;

	private final AlertStore alerts;

	private final DeliveryWorker deliveries;

	private final DestinationGuard guard;

	private final Duration rotationGrace;

	private final Clock clock;

	EndpointController(EndpointStore store, SecretBox secrets, AlertStore alerts, DeliveryWorker deliveries,
			DestinationGuard guard, AlertingProperties properties, Clock clock) {
		this.store = store;
		this.secrets = secrets;
		this.alerts = alerts;
		this.deliveries = deliveries;
		this.guard = guard;
		this.rotationGrace = properties.webhooks().rotationGrace();
		this.clock = clock;
	}

	/**
	 * The body of a registration or a change.
	 *
	 * @param url where messages go (https, a public address, unless allowlisted)
	 * @param eventTypes the message types to receive; all of them when absent at
	 * registration
	 * @param description a note
	 * @param enabled whether it receives messages (true when absent at registration)
	 */
	record EndpointRequest(@Nullable String url, @JsonProperty("event_types") @Nullable List<String> eventTypes,
			@Nullable String description, @Nullable Boolean enabled) {

	}

	@PostMapping("/v1/webhooks")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Map<String, Object>> register(ServerWebExchange exchange, @RequestBody EndpointRequest request) {
		String tenant = tenant(exchange);
		if (request.url() == null) {
			throw ApiException.invalidParameter("url", "url is required: where the messages go, https://...");
		}
		String url = checkedUrl(request.url());
		List<String> types = eventTypes(request.eventTypes());
		String secret = this.secrets.newSecret();
		Instant now = this.clock.instant();
		Endpoint endpoint = new Endpoint("ep_" + EventIds.uuidV7(this.clock).replace("-", ""), tenant, url,
				(request.description() != null) ? request.description() : "", types,
				(request.enabled() == null) || request.enabled(), this.secrets.seal(secret), null, null, null, null,
				now);
		return this.store.insert(endpoint).map((saved) -> {
			Map<String, Object> view = view(saved);
			view.put("secret", secret);
			return view;
		});
	}

	@GetMapping("/v1/webhooks")
	Mono<Map<String, Object>> list(ServerWebExchange exchange) {
		return this.store.list(tenant(exchange))
			.map(EndpointController::view)
			.collectList()
			.map((views) -> Map.of("data", views));
	}

	@GetMapping("/v1/webhooks/{endpointId}")
	Mono<Map<String, Object>> read(ServerWebExchange exchange, @PathVariable String endpointId) {
		return found(this.store.find(tenant(exchange), endpointId)).map(EndpointController::view);
	}

	@PatchMapping("/v1/webhooks/{endpointId}")
	Mono<Map<String, Object>> change(ServerWebExchange exchange, @PathVariable String endpointId,
			@RequestBody EndpointRequest request) {
		String tenant = tenant(exchange);
		String url = (request.url() != null) ? checkedUrl(request.url()) : null;
		List<String> types = (request.eventTypes() != null) ? eventTypes(request.eventTypes()) : null;
		return found(this.store.update(tenant, endpointId, url, types, request.description(), request.enabled(),
				this.clock.instant()))
			.map(EndpointController::view);
	}

	@DeleteMapping("/v1/webhooks/{endpointId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> delete(ServerWebExchange exchange, @PathVariable String endpointId) {
		return this.store.delete(tenant(exchange), endpointId)
			.flatMap((rows) -> (rows == 0) ? notFound() : Mono.empty());
	}

	@PostMapping("/v1/webhooks/{endpointId}/rotate-secret")
	Mono<Map<String, Object>> rotate(ServerWebExchange exchange, @PathVariable String endpointId) {
		String tenant = tenant(exchange);
		String secret = this.secrets.newSecret();
		Instant now = this.clock.instant();
		Instant until = now.plus(this.rotationGrace);
		return this.store.rotate(tenant, endpointId, this.secrets.seal(secret), until, now).flatMap((rows) -> {
			if (rows == 0) {
				return notFound();
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("endpoint_id", endpointId);
			body.put("secret", secret);
			body.put("previous_secret_valid_until", until.toString());
			return Mono.just(body);
		});
	}

	@PostMapping("/v1/webhooks/{endpointId}/test")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<Map<String, Object>> test(ServerWebExchange exchange, @PathVariable String endpointId) {
		String tenant = tenant(exchange);
		Instant now = this.clock.instant();
		return found(this.store.find(tenant, endpointId)).flatMap((endpoint) -> {
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("endpoint_id", endpointId);
			data.put("tenant_id", tenant);
			data.put("message", "A test message from Tollgate, sent on request.");
			String payload = WebhookPayloads.of(AlertType.WEBHOOK_TEST, now, data);
			return this.alerts.enqueue(tenant, null, AlertType.WEBHOOK_TEST, payload, now, endpointId);
		}).doOnNext((queued) -> this.deliveries.wake()).map((queued) -> Map.of("queued", queued));
	}

	private String tenant(ServerWebExchange exchange) {
		return Callers.tenant(exchange,
				QueryParams.single(exchange.getRequest().getQueryParams(), FrontDoorHeaders.TENANT_QUERY_PARAMETER));
	}

	private String checkedUrl(String text) {
		URI url;
		try {
			url = new URI(text.strip());
		}
		catch (URISyntaxException ex) {
			throw ApiException.invalidParameter("url", "url is not a URL: " + ex.getMessage());
		}
		if (this.guard.check(url) instanceof DestinationGuard.Refused(String code, String message)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, code, message, Map.of("param", "url"));
		}
		return url.toString();
	}

	private static List<String> eventTypes(@Nullable List<String> requested) {
		if (requested == null) {
			return java.util.Arrays.stream(AlertType.values())
				.filter((type) -> type != AlertType.WEBHOOK_TEST)
				.map(AlertType::wire)
				.toList();
		}
		if (requested.isEmpty()) {
			throw ApiException.invalidParameter("event_types", "event_types must name at least one of "
					+ AlertType.spellings() + " (leave it out for all of them)");
		}
		for (String type : requested) {
			if (AlertType.of(type).isEmpty()) {
				throw ApiException.invalidParameter("event_types",
						"event_types has '" + type + "', which is not one of " + AlertType.spellings());
			}
		}
		return List.copyOf(new java.util.LinkedHashSet<>(requested));
	}

	private static <T> Mono<T> found(Mono<T> lookup) {
		return lookup.switchIfEmpty(notFound());
	}

	private static <T> Mono<T> notFound() {
		return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "endpoint_not_found",
				"no webhook endpoint of this tenant has that id"));
	}

	static Map<String, Object> view(Endpoint endpoint) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("endpoint_id", endpoint.endpointId());
		view.put("tenant_id", endpoint.tenantId());
		view.put("url", endpoint.url());
		view.put("description", endpoint.description());
		view.put("event_types", endpoint.eventTypes());
		view.put("enabled", endpoint.enabled());
		view.put("disabled_reason", endpoint.disabledReason());
		view.put("failing_since", (endpoint.failingSince() != null) ? endpoint.failingSince().toString() : null);
		view.put("previous_secret_valid_until",
				(endpoint.previousUntil() != null) ? endpoint.previousUntil().toString() : null);
		view.put("created_at", endpoint.createdAt().toString());
		return view;
	}

}
