package io.tollgate.gateway.keycontrol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses the calls of a paused key (see {@link KeyControls}) before they reach a
 * provider or the usage ingest.
 *
 * <p>
 * Where: after {@code AuthenticationFilter} (which recorded the caller) and after
 * {@code FrontDoorForwarder}, which answers the routes it forwards without passing them
 * down the chain. So the tenant APIs behind the front door ({@code /v1/usage},
 * {@code /v1/spend}, {@code /v1/alerts}, {@code /v1/webhooks}, ...) stay open to a paused
 * key, and its tenant can see why it is paused and act on it, while everything else a
 * tenant key reaches here (model calls and usage ingest, the routes that spend money or
 * record spending, and any route added later) is refused. The admin credential is never
 * paused.
 *
 * <p>
 * The refusal is a 429 (a pause is not an authentication failure, and SDKs report a 429
 * plainly, without asking for a new key) rendered by service-support's error handler in
 * the route's provider shape ({@code ProviderErrorShape}): the code is the decision's
 * reason ({@code budget_exhausted}, {@code runaway_loop}, {@code manual}), the message
 * says what is paused, why and when access returns, and the details carry
 * {@code pause_scope}, {@code control_id} and, when the pause ends by itself,
 * {@code retry_at}; then the {@code retry-after} header holds the seconds until then,
 * rounded up.
 */
@Component
class PausedKeyFilter implements WebFilter, Ordered {

	private final KeyControls keyControls;

	private final Clock clock;

	private final MeterRegistry registry;

	PausedKeyFilter(KeyControls keyControls, Clock clock, MeterRegistry registry) {
		this.keyControls = keyControls;
		this.clock = clock;
		this.registry = registry;
	}

	/**
	 * After authentication ({@code HIGHEST_PRECEDENCE + 10}) and the front door
	 * ({@code + 20}), before any handler.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 30;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		// The one path authentication leaves open, so it has no caller.
		if (path.startsWith("/actuator/") || path.equals("/actuator")) {
			return chain.filter(exchange);
		}
		if (!(Callers.of(exchange) instanceof Caller.Tenant tenant)) {
			return chain.filter(exchange);
		}
		Instant now = this.clock.instant();
		Optional<KeyControl> pause = this.keyControls.pauseOf(tenant.tenantId(), tenant.apiKeyId(), now);
		if (pause.isEmpty()) {
			return chain.filter(exchange);
		}
		KeyControl control = pause.get();
		Counter.builder("tollgate.gateway.key.controls.refusals")
			.description("Requests refused because their key is paused, by reason")
			.tag("reason", control.reason())
			.register(this.registry)
			.increment();
		Instant until = control.until();
		if (until != null) {
			// The error handler renders the body and keeps headers already set; it copies
			// only a ResponseStatusException's own, so the header is set here.
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter(now, until)));
		}
		return Mono.error(refusal(control));
	}

	/**
	 * The refusal of a call made with a paused key.
	 * @param pause the pause in force
	 * @return a 429 with the pause's reason as its code
	 */
	static ApiException refusal(KeyControl pause) {
		StringBuilder message = new StringBuilder();
		message.append(pause.allKeys() ? "Every API key of tenant " + pause.tenantId() + " is paused"
				: "This API key (" + pause.apiKeyId() + ") is paused");
		message.append(" (").append(pause.reason()).append(')');
		String why = pause.message();
		if (why != null && !why.isBlank()) {
			message.append(": ").append(why.strip());
			if (!why.strip().endsWith(".")) {
				message.append('.');
			}
		}
		else {
			message.append('.');
		}
		Instant until = pause.until();
		message.append((until != null) ? " Access returns at " + until + "." : " It stays paused until it is resumed.");
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("pause_scope", pause.allKeys() ? "tenant" : "api_key");
		details.put("control_id", pause.controlId());
		if (until != null) {
			// Instant's text is RFC 3339 in UTC.
			details.put("retry_at", until.toString());
		}
		return new ApiException(HttpStatus.TOO_MANY_REQUESTS, pause.reason(), message.toString(), details);
	}

	/**
	 * Whole seconds until access returns, rounded up, so that a client that waits them
	 * out is not refused again.
	 * @param now the time of the refusal
	 * @param until when the pause ends, after {@code now}
	 * @return at least 1
	 */
	static long retryAfter(Instant now, Instant until) {
		Duration left = Duration.between(now, until);
		long seconds = left.getSeconds() + ((left.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
