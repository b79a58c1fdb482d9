package io.tollgate.support.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiExceptionHandlerTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private final ApiExceptionHandler handler = new ApiExceptionHandler("test service", this.json, ErrorShape.TOLLGATE);

	@Test
	void rendersInvalidParameterWithItsParam() {
		MockServerWebExchange exchange = handle(ApiException.invalidParameter("limit", "limit is too large"));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(error(exchange)).containsExactly(Map.entry("type", "invalid_request_error"),
				Map.entry("code", "invalid_parameter"), Map.entry("message", "limit is too large"),
				Map.entry("param", "limit"));
	}

	@Test
	void mapsStatusToErrorType() {
		assertThat(error(handle(new ApiException(HttpStatus.UNAUTHORIZED, "a", "m")))).containsEntry("type",
				"authentication_error");
		assertThat(error(handle(new ApiException(HttpStatus.FORBIDDEN, "a", "m")))).containsEntry("type",
				"permission_error");
		assertThat(error(handle(new ApiException(HttpStatus.NOT_FOUND, "a", "m")))).containsEntry("type",
				"not_found_error");
		assertThat(error(handle(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "a", "m")))).containsEntry("type",
				"api_error");
	}

	@Test
	void rendersSpringInputAndStatusErrors() {
		MockServerWebExchange input = handle(
				new ServerWebInputException("Required query parameter 'x' is not present."));
		assertThat(input.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error(input)).containsEntry("code", "invalid_request")
			.containsEntry("message", "Required query parameter 'x' is not present.");
		MockServerWebExchange notFound = handle(new ResponseStatusException(HttpStatus.NOT_FOUND));
		assertThat(notFound.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(error(notFound)).containsEntry("type", "not_found_error")
			.containsEntry("code", "not_found")
			.containsEntry("message", "Not Found");
	}

	@Test
	void keepsTheHeadersOfAStatusError() {
		MockServerWebExchange exchange = handle(new MethodNotAllowedException(HttpMethod.POST, Set.of(HttpMethod.GET)));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(exchange.getResponse().getHeaders().getAllow()).containsExactly(HttpMethod.GET);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(error(exchange)).containsEntry("type", "invalid_request_error")
			.containsEntry("code", "method_not_allowed");
	}

	@Test
	void answersABodyOverTheLimitWith413() {
		MockServerWebExchange exchange = handle(
				new ServerWebInputException("body", null, new DataBufferLimitException("Exceeded limit on max bytes")));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(error(exchange)).containsEntry("type", "invalid_request_error")
			.containsEntry("code", "payload_too_large");
	}

	@Test
	void answersUnexpectedFailuresWithoutTheirDetails() {
		MockServerWebExchange exchange = handle(new IllegalStateException("connection string with a password"));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(error(exchange)).containsEntry("type", "api_error")
			.containsEntry("code", "internal_error")
			.containsEntry("message", "The test service failed to handle this request; the failure is logged.");
	}

	@Test
	void rendersInTheShapeTheServiceChose() {
		ErrorShape bare = (exchange, error) -> Map.of("reason", error.code(), "path",
				exchange.getRequest().getPath().value());
		ApiExceptionHandler shaped = new ApiExceptionHandler("test service", this.json, bare);
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/models/x"));
		shaped.handle(exchange, new ApiException(HttpStatus.UNAUTHORIZED, "invalid_api_key", "no")).block();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(body(exchange)).containsOnly(Map.entry("reason", "invalid_api_key"),
				Map.entry("path", "/v1/models/x"));
	}

	@Test
	void leavesACommittedResponseAlone() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/usage"));
		exchange.getResponse().setComplete().block();
		IllegalStateException failure = new IllegalStateException("mid-stream");
		assertThatThrownBy(() -> this.handler.handle(exchange, failure).block()).isSameAs(failure);
	}

	private MockServerWebExchange handle(Throwable ex) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/usage"));
		this.handler.handle(exchange, ex).block();
		return exchange;
	}

	private Map<String, Object> body(MockServerWebExchange exchange) {
		String text = exchange.getResponse().getBodyAsString().block();
		assertThat(text).isNotNull();
		return this.json.readValue(text.getBytes(StandardCharsets.UTF_8), new TypeReference<Map<String, Object>>() {
		});
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> error(MockServerWebExchange exchange) {
		Map<String, Object> body = body(exchange);
		assertThat(body).containsOnlyKeys("error");
		return (Map<String, Object>) body.get("error");
	}

}
