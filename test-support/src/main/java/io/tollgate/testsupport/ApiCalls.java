package io.tollgate.testsupport;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls a Tollgate JSON API from an integration test and checks its answers: JSON bodies
 * read as maps, and refusals in Tollgate's error shape
 * ({@code {"error":{"type":...,"code":...,"message":...,"param":...}}}), the same in
 * every service. Who calls (front-door headers, keys) is the caller's
 * {@link WebTestClient}: each service's tests build it, since the header names belong to
 * the contract module.
 */
public final class ApiCalls {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private ApiCalls() {
	}

	/**
	 * A URI of a path with query parameters, encoded by the client.
	 * @param path the path
	 * @param pairs parameter names and values, alternating; a name may repeat
	 * @return the URI function for {@code client.get().uri(...)}
	 */
	public static Function<UriBuilder, URI> uri(String path, String... pairs) {
		return (builder) -> {
			builder.path(path);
			for (int i = 0; i < pairs.length; i += 2) {
				builder.queryParam(pairs[i], pairs[i + 1]);
			}
			return builder.build();
		};
	}

	/**
	 * GETs a JSON object, expecting 200.
	 * @param client the client
	 * @param uri the URI template
	 * @param uriVariables its variables
	 * @return the body
	 */
	public static Map<String, Object> getJson(WebTestClient client, String uri, Object... uriVariables) {
		return jsonObject(client.get().uri(uri, uriVariables).exchange(), HttpStatus.OK);
	}

	/**
	 * GETs a JSON object, expecting 200.
	 * @param client the client
	 * @param uri the URI, such as {@link #uri}
	 * @return the body
	 */
	public static Map<String, Object> getJson(WebTestClient client, Function<UriBuilder, URI> uri) {
		return jsonObject(client.get().uri(uri).exchange(), HttpStatus.OK);
	}

	/**
	 * GETs a body as it is sent (for parsing it otherwise, or for text such as metrics),
	 * expecting 200.
	 * @param client the client
	 * @param uri the URI template
	 * @param uriVariables its variables
	 * @return the body's bytes
	 */
	public static byte[] getBytes(WebTestClient client, String uri, Object... uriVariables) {
		byte[] body = client.get()
			.uri(uri, uriVariables)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
		assertThat(body).as("body of GET %s", uri).isNotNull();
		return body;
	}

	/**
	 * POSTs a JSON body.
	 * @param client the client
	 * @param uri the URI
	 * @param json the body
	 * @return the answer, for its checks
	 */
	public static WebTestClient.ResponseSpec postJson(WebTestClient client, String uri, String json) {
		return client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
	}

	/**
	 * PUTs a JSON body.
	 * @param client the client
	 * @param uri the URI template
	 * @param json the body
	 * @param uriVariables the template's variables
	 * @return the answer, for its checks
	 */
	public static WebTestClient.ResponseSpec putJson(WebTestClient client, String uri, String json,
			Object... uriVariables) {
		return client.put().uri(uri, uriVariables).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
	}

	/**
	 * Reads an answer's JSON object, after checking its status.
	 * @param response the answer
	 * @param status the status it must have
	 * @return the body
	 */
	public static Map<String, Object> jsonObject(WebTestClient.ResponseSpec response, HttpStatus status) {
		Map<String, Object> body = response.expectStatus()
			.isEqualTo(status)
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		assertThat(body).isNotNull();
		return body;
	}

	/**
	 * Checks a refusal's status and error code.
	 * @param response the answer
	 * @param status the status it must have
	 * @param code the {@code error.code} it must have
	 * @return the body, for further checks
	 */
	public static WebTestClient.BodyContentSpec expectError(WebTestClient.ResponseSpec response, HttpStatus status,
			String code) {
		return response.expectStatus().isEqualTo(status).expectBody().jsonPath("$.error.code").isEqualTo(code);
	}

	/**
	 * Checks a 400 {@code invalid_parameter} refusal naming the parameter, with a
	 * message.
	 * @param response the answer
	 * @param param the {@code error.param} it must name
	 */
	public static void expectInvalidParameter(WebTestClient.ResponseSpec response, String param) {
		expectError(response, HttpStatus.BAD_REQUEST, "invalid_parameter").jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.param")
			.isEqualTo(param)
			.jsonPath("$.error.message")
			.isNotEmpty();
	}

	/**
	 * A member of a JSON object that holds an array of objects.
	 * @param object the object
	 * @param name the member
	 * @return its value
	 */
	@SuppressWarnings("unchecked")
	public static List<Map<String, Object>> list(Map<String, Object> object, String name) {
		return (List<Map<String, Object>>) object.get(name);
	}

	/**
	 * A member of a JSON object that holds an object.
	 * @param object the object
	 * @param name the member
	 * @return its value
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> map(Map<String, Object> object, String name) {
		return (Map<String, Object>) object.get(name);
	}

}
