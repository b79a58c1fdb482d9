package io.tollgate.support.web;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Renders every error that reaches the HTTP layer, from a handler, from the dispatch to
 * one (an unknown path, a wrong method) or from a filter (a refused credential), as JSON
 * in the service's {@link ErrorShape}, with a status, a machine-readable code and a
 * message. Unexpected failures are logged with their stack trace here and answered with a
 * generic 500, never with the trace.
 *
 * <p>
 * A {@link WebExceptionHandler} rather than a controller advice because filters run
 * outside any controller; it is ordered before Spring Boot's own error handler.
 */
public class ApiExceptionHandler implements WebExceptionHandler, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final String serviceName;

	private final JsonMapper json;

	private final ErrorShape shape;

	/**
	 * Creates the handler.
	 * @param serviceName the service, named in the message of a 500
	 * @param json writes the bodies
	 * @param shape the shape of the bodies
	 */
	public ApiExceptionHandler(String serviceName, JsonMapper json, ErrorShape shape) {
		this.serviceName = serviceName;
		this.json = json;
		this.shape = shape;
	}

	/** Before Spring Boot's {@code ErrorWebExceptionHandler} (-1). */
	@Override
	public int getOrder() {
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		ApiException error = translate(exchange, ex);
		if (ex instanceof ResponseStatusException status) {
			// Keeps what the status implies, such as Allow on a 405.
			response.getHeaders().putAll(status.getHeaders());
		}
		response.setStatusCode(error.status());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = this.json.writeValueAsBytes(this.shape.body(exchange, error));
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	/**
	 * The refusal an error amounts to.
	 * @param exchange the request being answered
	 * @param ex the error
	 * @return the refusal, with status, code and message
	 */
	ApiException translate(ServerWebExchange exchange, Throwable ex) {
		if (ex instanceof ApiException api) {
			return api;
		}
		if (ex instanceof DataBufferLimitException
				|| (ex instanceof ServerWebInputException && ex.getCause() instanceof DataBufferLimitException)) {
			return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", String.valueOf(ex.getMessage()));
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
			if (code == null) {
				code = HttpStatus.INTERNAL_SERVER_ERROR;
			}
			if (code.is5xxServerError()) {
				logger.error("{} {} failed with {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
						code, ex);
			}
			String reason = status.getReason();
			return new ApiException(code, code.name().toLowerCase(Locale.ROOT),
					(reason != null) ? reason : code.getReasonPhrase());
		}
		logger.error("Unexpected failure handling {} {}", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath(), ex);
		return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
				"The " + this.serviceName + " failed to handle this request; the failure is logged.");
	}

}
