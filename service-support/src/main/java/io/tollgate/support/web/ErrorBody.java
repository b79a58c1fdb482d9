package io.tollgate.support.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * Tollgate's JSON error shape, the same as the gateway's for Tollgate's own APIs:
 * {@code {"error":{"type":...,"code":...,"message":..., ...details}}}. The {@code type}
 * follows Anthropic's error types so that one client-side switch serves both; the
 * {@code code} is Tollgate's own and finer.
 */
public final class ErrorBody {

	private ErrorBody() {
	}

	/**
	 * Builds an error body.
	 * @param status the HTTP status answered with
	 * @param code the machine-readable code, e.g. {@code invalid_parameter}
	 * @param message what went wrong, for a person
	 * @param details extra members of the error object (e.g. {@code param}), may be empty
	 * @return the body, ready to serialise
	 */
	public static Map<String, Object> of(HttpStatus status, String code, String message, Map<String, Object> details) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("type", type(status));
		error.put("code", code);
		error.put("message", message);
		error.putAll(details);
		return Map.of("error", error);
	}

	/**
	 * The body of an {@link ApiException}.
	 * @param exception the refusal
	 * @return the body, ready to serialise
	 */
	public static Map<String, Object> of(ApiException exception) {
		String message = exception.getMessage();
		return of(exception.status(), exception.code(),
				(message != null) ? message : exception.status().getReasonPhrase(), exception.details());
	}

	/**
	 * The error type of a status, after Anthropic's error types (which Tollgate's shape
	 * and the gateway's Anthropic shape both carry).
	 * @param status the HTTP status
	 * @return e.g. {@code invalid_request_error}
	 */
	public static String type(HttpStatus status) {
		return switch (status.value()) {
			case 400, 413, 422 -> "invalid_request_error";
			case 401 -> "authentication_error";
			case 403 -> "permission_error";
			case 404 -> "not_found_error";
			case 429 -> "rate_limit_error";
			default -> (status.is5xxServerError()) ? "api_error" : "invalid_request_error";
		};
	}

}
