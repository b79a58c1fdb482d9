package io.tollgate.support.web;

import java.util.Map;

import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.contract.frontdoor.Caller.Reason;
import io.tollgate.contract.frontdoor.Caller.Refused;
import io.tollgate.contract.frontdoor.Caller.Scoped;
import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * The {@link Caller} of the current request, as the filter that authenticated it recorded
 * it: the gateway's authentication of the client's credential, or a service's
 * {@link FrontDoorFilter}. What a caller may do is decided here, in one place, with the
 * HTTP status of each refusal.
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
	 * @throws IllegalStateException when no filter authenticated this path (a programming
	 * error, answered with a 500)
	 */
	public static Caller of(ServerWebExchange exchange) {
		Caller caller = exchange.getAttribute(ATTRIBUTE);
		if (caller == null) {
			throw new IllegalStateException(
					"No caller for " + exchange.getRequest().getPath() + ": no filter authenticated this path");
		}
		return caller;
	}

	/**
	 * The tenant a request may read, as {@link Caller#scope} decides it: a tenant key its
	 * own tenant, the admin the one it names. Call it before looking at any other
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
		if (!(of(exchange) instanceof Caller.Admin)) {
			throw new ApiException(HttpStatus.FORBIDDEN, ADMIN_REQUIRED, message);
		}
	}

	/**
	 * The answer to a refused caller.
	 * @param refused why the caller is refused
	 * @return the exception to raise
	 */
	public static ApiException refusal(Refused refused) {
		Reason reason = refused.reason();
		return switch (reason) {
			case NOT_THROUGH_GATEWAY, CALLER_UNKNOWN ->
				new ApiException(HttpStatus.UNAUTHORIZED, reason.code(), reason.message());
			case TENANT_FORBIDDEN -> new ApiException(HttpStatus.FORBIDDEN, reason.code(), reason.message());
			case TENANT_REQUIRED -> new ApiException(HttpStatus.BAD_REQUEST, reason.code(), reason.message(),
					Map.of("param", FrontDoorHeaders.TENANT_QUERY_PARAMETER));
		};
	}

	/**
	 * Records the caller of a request, once it is authenticated.
	 * @param exchange the current exchange
	 * @param caller who is calling
	 */
	public static void set(ServerWebExchange exchange, Caller caller) {
		exchange.getAttributes().put(ATTRIBUTE, caller);
	}

}
