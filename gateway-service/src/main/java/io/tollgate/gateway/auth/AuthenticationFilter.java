package io.tollgate.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.tenant.AuthenticatedKey;
import io.tollgate.gateway.tenant.KeyDirectory;
import io.tollgate.support.web.Callers;
import io.tollgate.support.web.ApiException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Authenticates every request before anything else runs.
 *
 * <ul>
 * <li>{@code /actuator/**}: open (health probes and metrics).</li>
 * <li>{@code /admin/**}: the admin credential, as {@code Authorization: Bearer} or
 * {@code x-api-key}, compared in constant time.</li>
 * <li>everything else: a tenant's {@code tg_} key, taken from where the providers' SDKs
 * send theirs: {@code x-api-key} (Anthropic), {@code Authorization: Bearer} (OpenAI),
 * {@code x-goog-api-key} or the {@code key} query parameter (Gemini).</li>
 * </ul>
 * The caller is recorded with {@link Callers#set}, the one caller model every service
 * reads. Refusals are 401s in the route's provider error shape
 * ({@code ProviderErrorShape}), so the client's SDK reports them as it would the
 * provider's own. A paused key authenticates like any other: refusing it is the
 * {@code keycontrol} package's {@code PausedKeyFilter}, which runs after the front door
 * so that a paused tenant can still read its own APIs.
 */
@Component
class AuthenticationFilter implements WebFilter, Ordered {

	private final KeyDirectory keys;

	private final byte[] adminTokenDigest;

	AuthenticationFilter(KeyDirectory keys, GatewayProperties properties) {
		this.keys = keys;
		this.adminTokenDigest = sha256(properties.adminToken());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (path.startsWith("/actuator/") || path.equals("/actuator")) {
			return chain.filter(exchange);
		}
		@Nullable String credential = credential(exchange.getRequest());
		if (credential == null) {
			return Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, "missing_api_key",
					"No API key: send your Tollgate key (tg_...) as x-api-key or Authorization: Bearer"));
		}
		if (path.startsWith("/admin/")) {
			if (!MessageDigest.isEqual(sha256(credential), this.adminTokenDigest)) {
				return Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, "invalid_admin_token",
						"The admin API needs the admin credential"));
			}
			Callers.set(exchange, new Caller.Admin());
			return chain.filter(exchange);
		}
		if (MessageDigest.isEqual(sha256(credential), this.adminTokenDigest)) {
			// The admin may read any tenant's data through the front door; the handlers
			// of
			// model calls and ingest refuse it, for those are a tenant's own.
			Callers.set(exchange, new Caller.Admin());
			return chain.filter(exchange);
		}
		return this.keys.authenticate(credential).flatMap((key) -> authenticated(exchange, chain, key));
	}

	private Mono<Void> authenticated(ServerWebExchange exchange, WebFilterChain chain, Optional<AuthenticatedKey> key) {
		if (key.isEmpty()) {
			return Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, "invalid_api_key",
					"Invalid or revoked Tollgate API key"));
		}
		Callers.set(exchange, new Caller.Tenant(key.get().tenantId(), key.get().apiKeyId()));
		return chain.filter(exchange);
	}

	private static @Nullable String credential(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		String value = headers.getFirst("x-api-key");
		if (value == null) {
			String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
			if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
				value = authorization.substring(7);
			}
		}
		if (value == null) {
			value = headers.getFirst("x-goog-api-key");
		}
		if (value == null) {
			value = request.getQueryParams().getFirst("key");
		}
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
