package io.tollgate.alerting.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.tollgate.alerting.AlertingIntegrationTest;
import io.tollgate.alerting.Events;
import io.tollgate.alerting.FrontDoor;
import io.tollgate.alerting.Hooks;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.ContractEvent;
import io.tollgate.contract.Endpoint;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.Provider;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.testsupport.TopicReader;
import io.tollgate.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runaway loops from the usage topic: a key repeating one request is warned about, then
 * paused when it goes on; a busy key next to it stays silent.
 */
@AlertingIntegrationTest
class LoopIntegrationTests {

	private static final Instant START = Instant.parse("2026-11-03T09:00:00Z");

	private final ContractDeserializer<KeyControl> controls = new ContractDeserializer<>(KeyControl.class);

	@LocalServerPort
	private int port;

	@Autowired
	private KafkaTemplate<byte[], byte[]> kafka;

	@Test
	void warnsAboutARepeatingKeyThenPausesItAndLeavesTheBusyKeyAlone() throws Exception {
		String tenant = "loop-" + UUID.randomUUID();
		String looping = "key-loop-" + UUID.randomUUID();
		String busy = "key-busy-" + UUID.randomUUID();
		WebTestClient client = FrontDoor.asTenant(this.port, tenant, looping);
		try (Hooks.Hook hook = Hooks.register(client, "loop.detected", "key.paused")) {
			WebhookReceiver receiver = hook.receiver();
			for (int i = 0; i < 12; i++) {
				publish(call(tenant, looping, START.plusSeconds(8L * i), "same-request"));
				publish(call(tenant, busy, START.plusSeconds(8L * i).plusMillis(500), "prompt-" + i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.verified().size() == 1);
			assertThat(receiver.verified().getFirst().body()).contains("\"type\":\"loop.detected\"",
					"\"detector\":\"repetition\"", "\"action\":\"warn\"", looping);

			// It goes on after the cooldown: now the policy pauses the key.
			Instant later = START.plus(Duration.ofMinutes(6));
			for (int i = 0; i < 12; i++) {
				publish(call(tenant, looping, later.plusSeconds(8L * i), "same-request"));
			}
			List<KeyControl> decisions = TopicReader
				.recordsWithKey(Topics.KEY_CONTROLS.name(), looping, 1, Duration.ofSeconds(30))
				.stream()
				.map((record) -> this.controls.deserialize(record.topic(), record.headers(), record.value()))
				.toList();
			assertThat(decisions).singleElement().satisfies((control) -> {
				assertThat(control.action()).isEqualTo(KeyAction.PAUSE);
				assertThat(control.reason()).isEqualTo(KeyControl.RUNAWAY_LOOP);
				assertThat(control.until()).isAfter(later);
			});
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.verified().size() == 3);
			assertThat(receiver.verified()).noneMatch((delivery) -> delivery.body().contains(busy));
		}
	}

	private void publish(ContractEvent event) throws Exception {
		Events.publish(this.kafka, event);
	}

	private static UsageEvent call(String tenant, String key, Instant completedAt, String fingerprint) {
		return UsageEvent.builder()
			.tenantId(tenant)
			.apiKeyId(key)
			.provider(Provider.ANTHROPIC)
			.model("claude-sonnet-4-5")
			.endpoint(Endpoint.MESSAGES)
			.tokens(new TokenCounts(2000, 150, 0, 0, 200_000, 0, 0))
			.requestFingerprint(fingerprint)
			.startedAt(completedAt.minusSeconds(2))
			.completedAt(completedAt)
			.build();
	}

}
