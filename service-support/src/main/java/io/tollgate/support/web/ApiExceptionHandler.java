package io.tollgate.support.web;

import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Renders every error a handler (or the dispatch to one, such as an unknown path) raises
 * as an {@link ErrorBody}. Unexpected failures are logged with their stack trace here and
 * answered with a generic 500, never with the trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final String serviceName;

	/**
	 * Creates the handler.
	 * @param serviceName the service, named in the message of a 500
	 */
	public ApiExceptionHandler(String serviceName) {
		this.serviceName = serviceName;
	}

	@ExceptionHandler
	ResponseEntity<Map<String, Object>> refused(ApiException ex) {
		return render(ex);
	}

	@ExceptionHandler
	ResponseEntity<Map<String, Object>> invalidBody(WebExchangeBindException ex) {
		String message = ex.getFieldErrors()
			.stream()
			.map((field) -> field.getField() + ": " + field.getDefaultMessage())
			.reduce((a, b) -> a + "; " + b)
			.orElse("invalid request body");
		return render(new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, Object>> invalidInput(ServerWebInputException ex) {
		String reason = ex.getReason();
		return render(new ApiException(HttpStatus.BAD_REQUEST, "invalid_request",
				(reason != null) ? reason : "invalid request"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, Object>> status(ResponseStatusException ex) {
		HttpStatus status = HttpStatus.resolve(ex.getStatusCode().value());
		if (status == null) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		if (status.is5xxServerError()) {
			logger.error("Request failed with {}", status, ex);
		}
		String reason = ex.getReason();
		ApiException error = new ApiException(status, status.name().toLowerCase(Locale.ROOT),
				(reason != null) ? reason : status.getReasonPhrase());
		// Keeps what the status implies, such as Allow on a 405.
		return ResponseEntity.status(status)
			.headers(ex.getHeaders())
			.contentType(MediaType.APPLICATION_JSON)
			.body(ErrorBody.of(error));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, Object>> unexpected(Exception ex, ServerWebExchange exchange) {
		logger.error("Unexpected failure handling {} {}", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath(), ex);
		return render(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
				"The " + this.serviceName + " failed to handle this request; the failure is logged."));
	}

	private static ResponseEntity<Map<String, Object>> render(ApiException ex) {
		return ResponseEntity.status(ex.status()).contentType(MediaType.APPLICATION_JSON).body(ErrorBody.of(ex));
	}

}
