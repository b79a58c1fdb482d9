package io.tollgate.alerting.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tollgate.alerting.AlertingIntegrationTest;
import io.tollgate.alerting.FrontDoor;
import io.tollgate.alerting.Hooks;
import io.tollgate.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook endpoints and deliveries against a real receiver that checks signatures with
 * its own code: retries keep the message's id, 410 disables the endpoint, the URL guard
 * refuses private destinations, and only the gateway's internal credential gets in.
 */
@AlertingIntegrationTest
class WebhookIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void retriesWithTheSameWebhookIdUntilTheReceiverTakesIt() {
		WebTestClient client = tenant();
		try (Hooks.Hook hook = Hooks.register(client, "budget.threshold_reached")) {
			WebhookReceiver receiver = hook.receiver();
			receiver.respondWith(500, 503);
			sendTest(client, hook.endpointId());

			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.deliveries().size() == 3);
			assertThat(receiver.deliveries()).extracting(WebhookReceiver.Delivery::answeredStatus)
				.containsExactly(500, 503, 204);
			assertThat(receiver.deliveries()).extracting(WebhookReceiver.Delivery::webhookId)
				.containsOnly(receiver.deliveries().getFirst().webhookId());
			assertThat(receiver.deliveries()).allSatisfy((delivery) -> {
				assertThat(delivery.verified()).as(delivery.verdict()).isTrue();
				assertThat(delivery.body()).contains("\"type\":\"webhook.test\"");
			});
			String webhookId = receiver.deliveries().getFirst().webhookId();

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> client.get()
					.uri("/v1/webhooks/{id}/deliveries", hook.endpointId())
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.data[0].delivery_id")
					.isEqualTo(webhookId)
					.jsonPath("$.data[0].status")
					.isEqualTo("delivered")
					.jsonPath("$.data[0].attempts[*].status_code")
					.isEqualTo(List.of(500, 503, 204)));

			client.post()
				.uri("/v1/webhooks/{id}/deliveries/{delivery}/resend", hook.endpointId(), webhookId)
				.exchange()
				.expectStatus()
				.isAccepted();
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.deliveries().size() == 4);
			assertThat(receiver.deliveries().getLast().webhookId()).isEqualTo(webhookId);
			assertThat(receiver.deliveries().getLast().verified()).isTrue();
		}
	}

	@Test
	void refusesToResendAnotherTenantsDelivery() {
		WebTestClient owner = tenant();
		try (Hooks.Hook hook = Hooks.register(owner, "budget.cap_reached")) {
			tenant().get()
				.uri("/v1/webhooks/{id}/deliveries", hook.endpointId())
				.exchange()
				.expectStatus()
				.isNotFound();
			tenant().post()
				.uri("/v1/webhooks/{id}/deliveries/{delivery}/resend", hook.endpointId(), "msg_unknown")
				.exchange()
				.expectStatus()
				.isNotFound();
		}
	}

	@Test
	void disablesAnEndpointThatAnswersGone() {
		WebTestClient client = tenant();
		try (Hooks.Hook hook = Hooks.register(client, "budget.threshold_reached")) {
			hook.receiver().respondWith(410);
			sendTest(client, hook.endpointId());

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> client.get()
					.uri("/v1/webhooks/{id}", hook.endpointId())
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.enabled")
					.isEqualTo(false)
					.jsonPath("$.disabled_reason")
					.isEqualTo("the endpoint answered 410 Gone"));
			assertThat(hook.receiver().deliveries()).hasSize(1);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://10.1.2.3/hooks", "https://169.254.169.254/latest/meta-data",
			"http://93.184.216.34/hooks", "https://[::ffff:10.0.0.1]/hooks" })
	void refusesDestinationsOutsideThePublicInternetOverHttps(String url) {
		tenant().post()
			.uri("/v1/webhooks")
			.bodyValue(Map.of("url", url))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.value((code) -> assertThat(code).isIn("forbidden_destination", "insecure_url"));
	}

	@Test
	void showsTheSecretOnceAndNeverAgain() {
		WebTestClient client = tenant();
		try (Hooks.Hook hook = Hooks.register(client, "budget.cap_reached")) {
			client.get()
				.uri("/v1/webhooks/{id}", hook.endpointId())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.secret")
				.doesNotExist();
			client.post()
				.uri("/v1/webhooks/{id}/rotate-secret", hook.endpointId())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.secret")
				.value((secret) -> assertThat((String) secret).startsWith("whsec_"));
		}
	}

	@Test
	void aTenantSeesOnlyItsOwnEndpoints() {
		WebTestClient owner = tenant();
		try (Hooks.Hook hook = Hooks.register(owner, "budget.cap_reached")) {
			tenant().get().uri("/v1/webhooks/{id}", hook.endpointId()).exchange().expectStatus().isNotFound();
			tenant().delete().uri("/v1/webhooks/{id}", hook.endpointId()).exchange().expectStatus().isNotFound();
			owner.get().uri("/v1/webhooks/{id}", hook.endpointId()).exchange().expectStatus().isOk();
		}
	}

	@Test
	void acceptsOnlyTheGatewaysInternalCredential() {
		FrontDoor.client(this.port).get().uri("/v1/webhooks").exchange().expectStatus().isUnauthorized();
		FrontDoor.client(this.port)
			.get()
			.uri("/v1/alerts")
			.header("x-tollgate-internal-token", "not-the-token")
			.header("x-tollgate-caller", "admin")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	private WebTestClient tenant() {
		return FrontDoor.asTenant(this.port, "hooks-" + UUID.randomUUID(), "key-1");
	}

	private static void sendTest(WebTestClient client, String endpointId) {
		client.post()
			.uri("/v1/webhooks/{id}/test", endpointId)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.queued")
			.isEqualTo(1);
	}

}
