package io.tollgate.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.ErrorBody;
import io.tollgate.support.web.ErrorShape;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The error bodies the gateway answers with, for service-support's
 * {@code ApiExceptionHandler}. On a model route a client's SDK parses the provider's own
 * shape, so refusals (bad key, paused key, unreachable provider) use it; every shape
 * carries a machine-readable {@code code} besides the provider's {@code type}. Every
 * other path (tenant admin, ingest, the front door's routes) answers in Tollgate's own
 * {@link ErrorBody}, like every service behind the gateway.
 */
@Component
class ProviderErrorShape implements ErrorShape {

	@Override
	public Map<String, Object> body(ServerWebExchange exchange, ApiException error) {
		Provider provider = Provider.forPath(exchange.getRequest().getPath().pathWithinApplication().value());
		if (provider == null) {
			return ErrorBody.of(error);
		}
		String message = error.getMessage();
		return provider.body(error.status(), error.code(),
				(message != null) ? message : error.status().getReasonPhrase(), error.details());
	}

	/** The providers whose error shape a model route answers in. */
	enum Provider {

		/** {@code {"type":"error","error":{"type":...,"message":...,"code":...}}}. */
		ANTHROPIC,

		/** {@code {"error":{"message":...,"type":...,"param":null,"code":...}}}. */
		OPENAI,

		/**
		 * {@code {"error":{"code":401,"message":...,"status":"UNAUTHENTICATED","reason":...}}}.
		 */
		GEMINI,

		/**
		 * Tollgate's own APIs: {@code {"error":{"type":...,"code":...,"message":...}}}.
		 */
		TOLLGATE;

		/**
		 * Picks the provider for a request path.
		 * @param path the request path
		 * @return the provider whose shape its clients expect, {@code null} for
		 * Tollgate's
		 */
		static @Nullable Provider forPath(String path) {
			if (path.startsWith("/v1/messages")) {
				return ANTHROPIC;
			}
			if (path.startsWith("/v1/chat/") || path.startsWith("/v1/responses")) {
				return OPENAI;
			}
			if (path.startsWith("/v1beta/") || path.startsWith("/v1/models/")) {
				return GEMINI;
			}
			return null;
		}

		/**
		 * Builds the body of an error in this shape.
		 * @param status the HTTP status
		 * @param code the machine-readable code, e.g. {@code invalid_api_key}
		 * @param message what went wrong, for a person
		 * @param details extra machine-readable members (e.g. {@code retry_at}), may be
		 * empty
		 * @return the body, ready to serialise
		 */
		Map<String, Object> body(HttpStatus status, String code, String message, Map<String, Object> details) {
			Map<String, Object> error = new LinkedHashMap<>();
			switch (this) {
				case ANTHROPIC -> {
					error.put("type", ErrorBody.type(status));
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
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("error", error);
			return body;
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

	}

}
