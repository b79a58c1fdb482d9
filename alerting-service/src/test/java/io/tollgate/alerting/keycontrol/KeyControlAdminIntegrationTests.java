package io.tollgate.alerting.keycontrol;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tollgate.alerting.AlertingIntegrationTest;
import io.tollgate.alerting.FrontDoor;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.Topics;
import io.tollgate.testsupport.TopicReader;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pausing and resuming keys by hand: admin only, published to the compacted topic the
 * gateways follow, listed while in force.
 */
@AlertingIntegrationTest
class KeyControlAdminIntegrationTests {

	private final ContractDeserializer<KeyControl> controls = new ContractDeserializer<>(KeyControl.class);

	@LocalServerPort
	private int port;

	@Test
	void anAdminPausesAndResumesAKeyAndTheGatewaysTopicSaysSo() {
		String tenant = "manual-" + UUID.randomUUID();
		String key = "key-" + UUID.randomUUID();
		WebTestClient admin = FrontDoor.asAdmin(this.port);

		admin.post()
			.uri("/admin/v1/key-controls")
			.bodyValue(Map.of("tenant_id", tenant, "api_key_id", key, "action", "pause", "message",
					"Paused while we look into a leak", "until", "2099-01-01T00:00:00Z"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.reason")
			.isEqualTo("manual");
		admin.get()
			.uri("/admin/v1/key-controls?tenant_id={t}", tenant)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data[0].api_key_id")
			.isEqualTo(key)
			.jsonPath("$.data[0].message")
			.isEqualTo("Paused while we look into a leak");

		admin.post()
			.uri("/admin/v1/key-controls")
			.bodyValue(Map.of("tenant_id", tenant, "api_key_id", key, "action", "resume"))
			.exchange()
			.expectStatus()
			.isCreated();
		admin.get()
			.uri("/admin/v1/key-controls?tenant_id={t}", tenant)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.length()")
			.isEqualTo(0);

		List<KeyControl> published = TopicReader
			.recordsWithKey(Topics.KEY_CONTROLS.name(), key, 2, Duration.ofSeconds(30))
			.stream()
			.map((record) -> this.controls.deserialize(record.topic(), record.headers(), record.value()))
			.toList();
		assertThat(published).extracting(KeyControl::action).containsExactly(KeyAction.PAUSE, KeyAction.RESUME);
		assertThat(published).extracting(KeyControl::reason).containsOnly(KeyControl.MANUAL);
	}

	@Test
	void onlyTheAdminDecidesAndABadDecisionIsRefusedWithItsField() {
		FrontDoor.asTenant(this.port, "t-" + UUID.randomUUID(), "key-1")
			.post()
			.uri("/admin/v1/key-controls")
			.bodyValue(Map.of("tenant_id", "x", "api_key_id", "*", "action", "pause"))
			.exchange()
			.expectStatus()
			.isForbidden();
		FrontDoor.asAdmin(this.port)
			.post()
			.uri("/admin/v1/key-controls")
			.bodyValue(Map.of("tenant_id", "x", "api_key_id", "*", "action", "stop"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.param")
			.isEqualTo("action");
		FrontDoor.asAdmin(this.port)
			.post()
			.uri("/admin/v1/key-controls")
			.bodyValue(Map.of("tenant_id", "x", "api_key_id", "*", "action", "pause", "until", "2001-01-01T00:00:00Z"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.param")
			.isEqualTo("until");
	}

}
