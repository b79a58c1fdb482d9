package io.tollgate.support.web;

import java.util.Map;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.contract.frontdoor.InternalCaller;
import io.tollgate.contract.frontdoor.InternalCaller.Refused;
import io.tollgate.contract.frontdoor.InternalCaller.Scoped;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, as the front-door filter established it for the current request.
 */
public final class Callers {

	/** The error code of {@link #requireAdmin}'s refusal. */
	public static final String ADMIN_REQUIRED = "admin_required";

	static final String ATTRIBUTE = Callers.class.getName() + ".caller";

	private Callers() {
	}

	/**
	 * Returns the caller of a request that passed the front-door filter.
	 * @param exchange the current exchange
	 * @return the caller
	 * @throws IllegalStateException when the filter did not run for this path (a
	 * programming error, answered with a 500)
	 */
	public static InternalCaller of(ServerWebExchange exchange) {
		InternalCaller caller = exchange.getAttribute(ATTRIBUTE);
		if (caller == null) {
			throw new IllegalStateException("No caller for " + exchange.getRequest().getPath()
					+ ": the front-door filter does not cover this path");
		}
		return caller;
	}

	/**
	 * The tenant a request may read, as {@link InternalCaller#scope} decides it: a tenant
	 * key its own tenant, the admin the one it names. Call it before looking at any other
	 * parameter, so that a caller without access learns nothing from validation messages.
	 * @param exchange the current exchange
	 * @param requestedTenant the {@value FrontDoorHeaders#TENANT_QUERY_PARAMETER} query
	 * parameter, {@code null} when absent
	 * @return the tenant
	 * @throws ApiException a 403 {@code tenant_forbidden} when a tenant key names another
	 * tenant, a 400 {@code tenant_required} (with {@code param}) when the admin names
	 * none
	 */
	public static String tenant(ServerWebExchange exchange, @Nullable String requestedTenant) {
		return switch (of(exchange).scope(requestedTenant)) {
			case Scoped scoped -> scoped.tenantId();
			case Refused refused -> throw refusal(refused);
		};
	}

	/**
	 * Refuses a request whose caller is not the admin credential, for the APIs that only
	 * the admin may call (prices, budgets set). Call it before reading the body or any
	 * parameter, so that a tenant key learns nothing from validation messages.
	 * @param exchange the current exchange
	 * @param message what the refusal says, such as which operations need the admin
	 * @throws ApiException a 403 {@value #ADMIN_REQUIRED} when the caller is a tenant key
	 */
	public static void requireAdmin(ServerWebExchange exchange, String message) {
		if (!(of(exchange) instanceof InternalCaller.Admin)) {
			throw new ApiException(HttpStatus.FORBIDDEN, ADMIN_REQUIRED, message);
		}
	}

	private static ApiException refusal(Refused refused) {
		HttpStatus status = HttpStatus.valueOf(refused.status());
		Map<String, Object> details = (status == HttpStatus.BAD_REQUEST)
				? Map.of("param", FrontDoorHeaders.TENANT_QUERY_PARAMETER) : Map.of();
		return new ApiException(status, refused.code(), refused.message(), details);
	}

	static void set(ServerWebExchange exchange, InternalCaller caller) {
		exchange.getAttributes().put(ATTRIBUTE, caller);
	}

}
