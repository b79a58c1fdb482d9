package io.tollgate.gateway.web;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Renders every error that reaches the HTTP layer as JSON in the route's
 * {@link ErrorShape}, with a status, a machine-readable code and a message; unexpected
 * failures are logged with their stack trace here and answered with a generic 500, never
 * with the trace.
 */
@Component
@Order(-2)
class ApiExceptionHandler implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final JsonMapper json;

	ApiExceptionHandler(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		ApiException error = translate(exchange, ex);
		ErrorShape shape = ErrorShape.forPath(exchange.getRequest().getPath().value());
		Map<String, Object> body = shape.body(error.status(), error.code(), error.getMessage(), error.details());
		response.setStatusCode(error.status());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] bytes = this.json.writeValueAsBytes(body);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

	private ApiException translate(ServerWebExchange exchange, Throwable ex) {
		if (ex instanceof ApiException api) {
			return api;
		}
		if (ex instanceof DataBufferLimitException
				|| (ex.getCause() instanceof DataBufferLimitException && ex instanceof ServerWebInputException)) {
			return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", ex.getMessage());
		}
		if (ex instanceof WebExchangeBindException bind) {
			String message = bind.getFieldErrors()
				.stream()
				.map((field) -> field.getField() + ": " + field.getDefaultMessage())
				.reduce((a, b) -> a + "; " + b)
				.orElse("invalid request body");
			return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message);
		}
		if (ex instanceof ServerWebInputException input) {
			String reason = input.getReason();
			return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request",
					(reason != null) ? reason : "invalid request");
		}
		if (ex instanceof ResponseStatusException status) {
			HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
			code = (code != null) ? code : HttpStatus.INTERNAL_SERVER_ERROR;
			String reason = status.getReason();
			return new ApiException(code, code.name().toLowerCase(java.util.Locale.ROOT),
					(reason != null) ? reason : code.getReasonPhrase());
		}
		logger.error("Unexpected failure handling {} {}", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath(), ex);
		return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
				"The gateway failed to handle this request; the failure is logged.");
	}

}
