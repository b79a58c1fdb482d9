package io.tollgate.support.web;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A refusal with an HTTP status, a machine-readable code and a message for a person.
 * Thrown (or emitted as a reactive error) by a handler; the service's exception handler
 * renders it as an {@link ErrorBody}. No stack trace reaches the client.
 */
public class ApiException extends RuntimeException {

	/** The code of every refused query or body parameter. */
	public static final String INVALID_PARAMETER = "invalid_parameter";

	private final HttpStatus status;

	private final String code;

	private final Map<String, Object> details;

	public ApiException(HttpStatus status, String code, String message) {
		this(status, code, message, Map.of());
	}

	/**
	 * A refusal with extra machine-readable members in the error object.
	 * @param status the HTTP status
	 * @param code the machine-readable code
	 * @param message what went wrong, for a person
	 * @param details extra members, e.g. {@code param}; never {@code type}, {@code code}
	 * or {@code message}
	 */
	public ApiException(HttpStatus status, String code, String message, Map<String, Object> details) {
		// No stack trace: this is an answer to the client, not a failure to investigate.
		super(message, null, false, false);
		this.status = status;
		this.code = code;
		this.details = Map.copyOf(details);
	}

	/**
	 * A 400 {@value #INVALID_PARAMETER} naming the parameter, so that a client can point
	 * at the field without parsing the message.
	 * @param param the parameter's name as the client sent it
	 * @param message what is wrong with it
	 * @return the exception
	 */
	public static ApiException invalidParameter(String param, String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, message, Map.of("param", param));
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
