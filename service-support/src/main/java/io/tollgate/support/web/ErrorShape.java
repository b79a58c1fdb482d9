package io.tollgate.support.web;

import java.util.Map;

import org.springframework.web.server.ServerWebExchange;

/**
 * How a refusal is rendered for the request it answers. Services behind the gateway use
 * {@link #TOLLGATE}; the gateway answers model routes in the provider's own shape, so
 * that a client's SDK reports a Tollgate refusal as it would the provider's.
 */
@FunctionalInterface
public interface ErrorShape {

	/** Tollgate's own shape, {@link ErrorBody}, whatever the request. */
	ErrorShape TOLLGATE = (exchange, error) -> ErrorBody.of(error);

	/**
	 * Builds the JSON body of a refusal.
	 * @param exchange the request being answered
	 * @param error the refusal
	 * @return the body, ready to serialise
	 */
	Map<String, Object> body(ServerWebExchange exchange, ApiException error);

}
