package io.tollgate.support.web;

import io.tollgate.contract.frontdoor.InternalCaller;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, as the front-door filter established it for the current request.
 */
public final class Callers {

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

	static void set(ServerWebExchange exchange, InternalCaller caller) {
		exchange.getAttributes().put(ATTRIBUTE, caller);
	}

}
