package io.tollgate.gateway.auth;

import org.jspecify.annotations.Nullable;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who is making a request, decided once by {@link AuthenticationFilter} and kept on the
 * exchange.
 */
public sealed interface Caller permits Caller.Tenant, Caller.Admin {

	/** The exchange attribute that holds the caller. */
	String ATTRIBUTE = Caller.class.getName();

	/**
	 * Returns the caller of an authenticated exchange.
	 * @param exchange the exchange
	 * @return the caller
	 * @throws IllegalStateException when the exchange was not authenticated, a wiring
	 * error
	 */
	static Caller of(ServerWebExchange exchange) {
		@Nullable Caller caller = exchange.getAttribute(ATTRIBUTE);
		if (caller == null) {
			throw new IllegalStateException("No authenticated caller on " + exchange.getRequest().getPath());
		}
		return caller;
	}

	/**
	 * A tenant's application, with one of the tenant's keys.
	 *
	 * @param tenantId the tenant
	 * @param apiKeyId the key used
	 */
	record Tenant(String tenantId, String apiKeyId) implements Caller {

	}

	/**
	 * The operator, with the admin credential.
	 */
	record Admin() implements Caller {

	}

}
