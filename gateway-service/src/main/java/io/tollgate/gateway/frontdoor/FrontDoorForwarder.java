package io.tollgate.gateway.frontdoor;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.web.ForwardedHeaders;
import io.tollgate.support.config.ServiceSupportProperties;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Forwards the requests the route table names to the service that owns them, after
 * {@code AuthenticationFilter} has established the caller. The other half of
 * service-support's {@code FrontDoorFilter}, which admits in each service only what this
 * class forwarded; {@link Caller} holds both halves of the rule.
 *
 * <p>
 * The longest matching path prefix wins. The forwarded request keeps method, path, query
 * and body (streamed, never buffered) and the client's headers as
 * {@link ForwardedHeaders} allows; the gateway adds ({@link Caller#forward})
 * {@value FrontDoorHeaders#INTERNAL_TOKEN} (the services refuse requests without it),
 * {@value FrontDoorHeaders#CALLER} ({@code tenant} or {@code admin}) and, for a tenant,
 * {@value FrontDoorHeaders#TENANT_ID} and {@value FrontDoorHeaders#API_KEY_ID}. A tenant
 * can thus only ever act on its own tenant; the admin names one with the
 * {@code tenant_id} query parameter, which the service reads. The response streams back
 * as the service sent it; an unreachable service is a 502 in Tollgate's error shape.
 */
@Component
class FrontDoorForwarder implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(FrontDoorForwarder.class);

	private final List<GatewayProperties.FrontDoorRoute> routes;

	private final String internalToken;

	private final WebClient client;

	FrontDoorForwarder(GatewayProperties properties, ServiceSupportProperties service, WebClient upstreamWebClient) {
		this.routes = properties.frontDoor()
			.routes()
			.stream()
			.sorted(Comparator.comparingInt((GatewayProperties.FrontDoorRoute route) -> route.pathPrefix().length())
				.reversed())
			.toList();
		this.internalToken = service.internalToken();
		this.client = upstreamWebClient;
		if (!this.routes.isEmpty() && this.internalToken.isBlank()) {
			throw new IllegalStateException("tollgate.gateway.front-door.routes are set but the internal token is "
					+ "not: set TOLLGATE_INTERNAL_TOKEN (the same value in every service)");
		}
	}

	/** Right after authentication, before any handler. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		GatewayProperties.FrontDoorRoute route = match(path);
		if (route == null) {
			return chain.filter(exchange);
		}
		Mono<Void> admitted = (route.access() == GatewayProperties.Access.ADMIN)
				? Mono.fromRunnable(() -> Callers.requireAdmin(exchange, "This API needs the admin credential"))
				: Mono.empty();
		return admitted.then(Mono.defer(() -> forward(exchange, route, Callers.of(exchange))));
	}

	private GatewayProperties.@Nullable FrontDoorRoute match(String path) {
		for (GatewayProperties.FrontDoorRoute route : this.routes) {
			String prefix = route.pathPrefix();
			if (path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/')) {
				return route;
			}
		}
		return null;
	}

	private Mono<Void> forward(ServerWebExchange exchange, GatewayProperties.FrontDoorRoute route, Caller caller) {
		ServerHttpRequest request = exchange.getRequest();
		String base = route.serviceUrl().toString();
		String query = request.getURI().getRawQuery();
		URI target = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
				+ request.getPath().value() + ((query != null) ? "?" + query : ""));
		HttpMethod method = request.getMethod();
		WebClient.RequestBodySpec spec = this.client.method(method).uri(target).headers((headers) -> {
			ForwardedHeaders.copyRequest(request.getHeaders(), headers);
			caller.forward(this.internalToken, headers::set);
		});
		WebClient.RequestHeadersSpec<?> ready = (method == HttpMethod.GET || method == HttpMethod.HEAD
				|| method == HttpMethod.DELETE) ? spec : spec.body(BodyInserters.fromDataBuffers(request.getBody()));
		return ready.exchangeToMono((response) -> {
			ServerHttpResponse downstream = exchange.getResponse();
			downstream.setStatusCode(response.statusCode());
			HttpHeaders headers = response.headers().asHttpHeaders();
			ForwardedHeaders.copyResponse(headers, downstream.getHeaders(), false);
			Flux<DataBuffer> body = response.bodyToFlux(DataBuffer.class);
			return downstream.writeAndFlushWith(body.map(Flux::just));
		}).onErrorMap(WebClientRequestException.class, (ex) -> {
			logger.warn("Front door: {} is unreachable for {} {}: {}", route.serviceUrl(), method, request.getPath(),
					ex.getMostSpecificCause().toString());
			return new ApiException(HttpStatus.BAD_GATEWAY, "service_unavailable",
					"The service behind " + route.pathPrefix() + " is not reachable; try again shortly");
		});
	}

}
