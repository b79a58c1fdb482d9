package io.tollgate.support.web;

import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.contract.frontdoor.Caller.Accepted;
import io.tollgate.contract.frontdoor.Caller.Refused;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Admits only requests the gateway's front door forwarded, and records who is calling for
 * {@link Callers#of}. The rule itself ({@link Caller#authenticate}) lives in the contract
 * module, beside what the gateway writes; refusals are raised as {@link ApiException}s,
 * rendered by the {@link ApiExceptionHandler}.
 *
 * <p>
 * Actuator endpoints are exempt: the orchestrator's probes and the metrics scraper reach
 * the service directly, never through the gateway.
 */
public class FrontDoorFilter implements WebFilter, Ordered {

	private final String internalToken;

	private final String actuatorBasePath;

	/**
	 * Creates the filter.
	 * @param internalToken the internal credential the gateway presents
	 * ({@code TOLLGATE_INTERNAL_TOKEN})
	 * @param actuatorBasePath the actuator's base path, exempt from the check
	 */
	public FrontDoorFilter(String internalToken, String actuatorBasePath) {
		this.internalToken = internalToken;
		this.actuatorBasePath = actuatorBasePath;
	}

	/** Before any handler or other filter sees the request. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (isActuator(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		HttpHeaders headers = exchange.getRequest().getHeaders();
		return switch (Caller.authenticate(this.internalToken, headers::getFirst)) {
			case Accepted accepted -> {
				Callers.set(exchange, accepted.caller());
				yield chain.filter(exchange);
			}
			case Refused refused -> Mono.error(Callers.refusal(refused));
		};
	}

	private boolean isActuator(String path) {
		return path.equals(this.actuatorBasePath) || path.startsWith(this.actuatorBasePath + "/");
	}

}
