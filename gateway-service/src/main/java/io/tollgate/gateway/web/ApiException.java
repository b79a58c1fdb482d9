package io.tollgate.gateway.web;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A refusal with an HTTP status, a machine-readable code and a message for a person.
 * Thrown (or emitted as a reactive error) anywhere in request handling;
 * {@link ApiExceptionHandler} renders it in the route's {@link ErrorShape}. No stack
 * trace reaches the client.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final Map<String, Object> details;

	public ApiException(HttpStatus status, String code, String message) {
		this(status, code, message, Map.of());
	}

	public ApiException(HttpStatus status, String code, String message, Map<String, Object> details) {
		super(message, null, false, false);
		this.status = status;
		this.code = code;
		this.details = Map.copyOf(details);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String code() {
		return this.code;
	}

	public Map<String, Object> details() {
		return this.details;
	}

}
