package io.tollgate.gateway.keycontrol;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.contract.KeyControl;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.testsupport.KafkaService;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.UsesKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway instance that starts after decisions were published is not ready before it
 * has read every one of them, on the real key-controls topic.
 */
@UsesKafka
class KeyControlsCatchUpIntegrationTests {

	private static final int DECISIONS = 200;

	@Test
	void isNotReadyBeforeEveryDecisionPublishedBeforeItStartedIsRead(KafkaService kafka) {
		KeyControlTopic.create();
		String tenant = "t-" + UUID.randomUUID();
		try (KeyControlTopic topic = new KeyControlTopic()) {
			for (int key = 0; key < DECISIONS; key++) {
				topic.pause(tenant, "k-" + key, KeyControl.MANUAL, null, null);
			}
		}
		KeyControls controls = new KeyControls(
				new GatewayProperties.KeyControls(true, Duration.ofMillis(100), Duration.ofSeconds(1)),
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new SimpleMeterRegistry(),
				TestClock.shared());
		KeyControlsHealthIndicator readiness = new KeyControlsHealthIndicator(controls);
		assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

		controls.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(controls::caughtUp);

			assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
			for (int key = 0; key < DECISIONS; key++) {
				assertThat(controls.pauseOf(tenant, "k-" + key)).as("pause of k-%d", key).isPresent();
			}
		}
		finally {
			controls.stop();
		}
		assertThat(controls.isRunning()).isFalse();
	}

}
