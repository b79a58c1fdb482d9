package io.tollgate.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * The JSON error bodies the gateway answers with. On a model route a client's SDK parses
 * the provider's own shape, so refusals (bad key, paused key, unreachable provider) use
 * it; every shape carries a machine-readable {@code code} besides the provider's
 * {@code type}.
 */
public enum ErrorShape {

	/** {@code {"type":"error","error":{"type":...,"message":...,"code":...}}}. */
	ANTHROPIC,

	/** {@code {"error":{"message":...,"type":...,"param":null,"code":...}}}. */
	OPENAI,

	/**
	 * {@code {"error":{"code":401,"message":...,"status":"UNAUTHENTICATED","reason":...}}}.
	 */
	GEMINI,

	/** Tollgate's own APIs: {@code {"error":{"type":...,"code":...,"message":...}}}. */
	TOLLGATE;

	/**
	 * Picks the shape for a request path.
	 * @param path the request path
	 * @return the shape its clients expect
	 */
	public static ErrorShape forPath(String path) {
		if (path.startsWith("/v1/messages")) {
			return ANTHROPIC;
		}
		if (path.startsWith("/v1/chat/") || path.startsWith("/v1/responses")) {
			return OPENAI;
		}
		if (path.startsWith("/v1beta/") || path.startsWith("/v1/models/")) {
			return GEMINI;
		}
		return TOLLGATE;
	}

	/**
	 * Builds the body of an error in this shape.
	 * @param status the HTTP status
	 * @param code the machine-readable code, e.g. {@code invalid_api_key}
	 * @param message what went wrong, for a person
	 * @param details extra machine-readable members (e.g. {@code retry_at}), may be empty
	 * @return the body, ready to serialise
	 */
	public Map<String, Object> body(HttpStatus status, String code, String message, Map<String, Object> details) {
		Map<String, Object> error = new LinkedHashMap<>();
		switch (this) {
			case ANTHROPIC -> {
				error.put("type", anthropicType(status));
				error.put("message", message);
				error.put("code", code);
				error.putAll(details);
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("type", "error");
				body.put("error", error);
				return body;
			}
			case OPENAI -> {
				error.put("message", message);
				error.put("type", openAiType(status));
				error.put("param", null);
				error.put("code", code);
				error.putAll(details);
			}
			case GEMINI -> {
				error.put("code", status.value());
				error.put("message", message);
				error.put("status", geminiStatus(status));
				error.put("reason", code);
				error.putAll(details);
			}
			case TOLLGATE -> {
				error.put("type", anthropicType(status));
				error.put("code", code);
				error.put("message", message);
				error.putAll(details);
			}
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		return body;
	}

	private static String anthropicType(HttpStatus status) {
		return switch (status.value()) {
			case 400, 413, 422 -> "invalid_request_error";
			case 401 -> "authentication_error";
			case 403 -> "permission_error";
			case 404 -> "not_found_error";
			case 429 -> "rate_limit_error";
			case 502, 503, 504 -> "api_error";
			default -> (status.is5xxServerError()) ? "api_error" : "invalid_request_error";
		};
	}

	private static String openAiType(HttpStatus status) {
		return switch (status.value()) {
			case 401 -> "invalid_request_error";
			case 429 -> "insufficient_quota";
			default -> (status.is5xxServerError()) ? "server_error" : "invalid_request_error";
		};
	}

	private static String geminiStatus(HttpStatus status) {
		return switch (status.value()) {
			case 400, 413 -> "INVALID_ARGUMENT";
			case 401 -> "UNAUTHENTICATED";
			case 403 -> "PERMISSION_DENIED";
			case 404 -> "NOT_FOUND";
			case 429 -> "RESOURCE_EXHAUSTED";
			case 503 -> "UNAVAILABLE";
			default -> (status.is5xxServerError()) ? "INTERNAL" : "FAILED_PRECONDITION";
		};
	}

	/**
	 * Convenience for errors without details.
	 * @param status the status
	 * @param code the code
	 * @param message the message
	 * @return the body
	 */
	public Map<String, Object> body(HttpStatus status, String code, @Nullable String message) {
		return body(status, code, (message != null) ? message : status.getReasonPhrase(), Map.of());
	}

}
