package io.tollgate.support.web;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExceptionHandlerTests {

	private final ApiExceptionHandler handler = new ApiExceptionHandler("test service");

	@Test
	void rendersInvalidParameterWithItsParam() {
		ResponseEntity<Map<String, Object>> response = this.handler
			.refused(ApiException.invalidParameter("limit", "limit is too large"));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(error(response)).containsExactly(Map.entry("type", "invalid_request_error"),
				Map.entry("code", "invalid_parameter"), Map.entry("message", "limit is too large"),
				Map.entry("param", "limit"));
	}

	@Test
	void mapsStatusToErrorType() {
		assertThat(error(this.handler.refused(new ApiException(HttpStatus.UNAUTHORIZED, "a", "m"))))
			.containsEntry("type", "authentication_error");
		assertThat(error(this.handler.refused(new ApiException(HttpStatus.FORBIDDEN, "a", "m")))).containsEntry("type",
				"permission_error");
		assertThat(error(this.handler.refused(new ApiException(HttpStatus.NOT_FOUND, "a", "m")))).containsEntry("type",
				"not_found_error");
		assertThat(error(this.handler.refused(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "a", "m"))))
			.containsEntry("type", "api_error");
	}

	@Test
	void rendersSpringInputAndStatusErrors() {
		ResponseEntity<Map<String, Object>> input = this.handler
			.invalidInput(new ServerWebInputException("Required query parameter 'x' is not present."));
		assertThat(input.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error(input)).containsEntry("code", "invalid_request")
			.containsEntry("message", "Required query parameter 'x' is not present.");
		ResponseEntity<Map<String, Object>> notFound = this.handler
			.status(new ResponseStatusException(HttpStatus.NOT_FOUND));
		assertThat(notFound.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(error(notFound)).containsEntry("type", "not_found_error")
			.containsEntry("code", "not_found")
			.containsEntry("message", "Not Found");
	}

	@Test
	void keepsTheHeadersOfAStatusError() {
		ResponseEntity<Map<String, Object>> response = this.handler
			.status(new MethodNotAllowedException(HttpMethod.POST, Set.of(HttpMethod.GET)));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(response.getHeaders().getAllow()).containsExactly(HttpMethod.GET);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(error(response)).containsEntry("type", "invalid_request_error")
			.containsEntry("code", "method_not_allowed");
	}

	@Test
	void answersUnexpectedFailuresWithoutTheirDetails() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/usage"));
		ResponseEntity<Map<String, Object>> response = this.handler
			.unexpected(new IllegalStateException("connection string with a password"), exchange);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(error(response)).containsEntry("type", "api_error")
			.containsEntry("code", "internal_error")
			.hasEntrySatisfying("message", (message) -> assertThat((String) message).doesNotContain("password"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> error(ResponseEntity<Map<String, Object>> response) {
		Map<String, Object> body = response.getBody();
		assertThat(body).isNotNull().containsOnlyKeys("error");
		return (Map<String, Object>) body.get("error");
	}

}
