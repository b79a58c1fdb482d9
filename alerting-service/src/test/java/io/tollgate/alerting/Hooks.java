package io.tollgate.alerting;

import java.util.List;
import java.util.Map;

import io.tollgate.testsupport.WebhookReceiver;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Registers a tenant's webhook endpoint at a real receiver that verifies what it gets
 * with the secret the registration returned.
 */
public final class Hooks {

	private static final ParameterizedTypeReference<Map<String, Object>> BODY = new ParameterizedTypeReference<>() {
	};

	private Hooks() {
	}

	/**
	 * An endpoint and the receiver behind it.
	 *
	 * @param endpointId the endpoint's id
	 * @param receiver the receiver (close it)
	 */
	public record Hook(String endpointId, WebhookReceiver receiver) implements AutoCloseable {

		@Override
		public void close() {
			this.receiver.close();
		}

	}

	/**
	 * Registers an endpoint for these message types and points it at a new receiver (the
	 * secret is known only once registered, the receiver's address only once it runs: so
	 * it is registered at a placeholder address first, then moved).
	 * @param client the tenant's client
	 * @param types the message types
	 * @return the endpoint and its receiver
	 */
	public static Hook register(WebTestClient client, String... types) {
		Map<String, Object> created = client.post()
			.uri("/v1/webhooks")
			.bodyValue(Map.of("url", "http://127.0.0.1:9/hooks", "event_types", List.of(types)))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(BODY)
			.returnResult()
			.getResponseBody();
		String endpointId = (String) created.get("endpoint_id");
		WebhookReceiver receiver = WebhookReceiver.start((String) created.get("secret"));
		client.patch()
			.uri("/v1/webhooks/{id}", endpointId)
			.bodyValue(Map.of("url", receiver.url().toString()))
			.exchange()
			.expectStatus()
			.isOk();
		return new Hook(endpointId, receiver);
	}

}
