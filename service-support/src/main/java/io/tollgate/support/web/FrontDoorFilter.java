package io.tollgate.support.web;

import java.util.Map;

import io.tollgate.contract.frontdoor.InternalCaller;
import io.tollgate.contract.frontdoor.InternalCaller.Accepted;
import io.tollgate.contract.frontdoor.InternalCaller.Refused;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Admits only requests the gateway's front door forwarded, and records who is calling for
 * {@link Callers#of}. The rule itself ({@link InternalCaller#authenticate}) lives in the
 * contract module, shared by every service.
 *
 * <p>
 * Actuator endpoints are exempt: the orchestrator's probes and the metrics scraper reach
 * the service directly, never through the gateway.
 */
public class FrontDoorFilter implements WebFilter, Ordered {

	private final String internalToken;

	private final String actuatorBasePath;

	private final JsonMapper json;

	/**
	 * Creates the filter.
	 * @param internalToken the internal credential the gateway presents
	 * ({@code TOLLGATE_INTERNAL_TOKEN})
	 * @param actuatorBasePath the actuator's base path, exempt from the check
	 * @param json renders refusals
	 */
	public FrontDoorFilter(String internalToken, String actuatorBasePath, JsonMapper json) {
		this.internalToken = internalToken;
		this.actuatorBasePath = actuatorBasePath;
		this.json = json;
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
		return switch (InternalCaller.authenticate(this.internalToken, headers::getFirst)) {
			case Accepted accepted -> {
				Callers.set(exchange, accepted.caller());
				yield chain.filter(exchange);
			}
			case Refused refused -> refuse(exchange.getResponse(), refused);
		};
	}

	private boolean isActuator(String path) {
		return path.equals(this.actuatorBasePath) || path.startsWith(this.actuatorBasePath + "/");
	}

	private Mono<Void> refuse(ServerHttpResponse response, Refused refused) {
		HttpStatus status = HttpStatus.valueOf(refused.status());
		byte[] body = this.json.writeValueAsBytes(ErrorBody.of(status, refused.code(), refused.message(), Map.of()));
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
