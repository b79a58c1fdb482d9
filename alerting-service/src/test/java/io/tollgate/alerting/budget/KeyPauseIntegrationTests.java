package io.tollgate.alerting.budget;

import java.math.BigDecimal;
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
import io.tollgate.contract.EventIds;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.SpendUpdate;
import io.tollgate.contract.Topics;
import io.tollgate.testsupport.TopicReader;
import io.tollgate.testsupport.WebhookReceiver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A budget that pauses at its cap: one pause on the key-controls topic when spend reaches
 * the cap, until the period's end, however often the figures repeat; one resume when the
 * cap is raised or the next period begins; both announced by webhook.
 */
@AlertingIntegrationTest
class KeyPauseIntegrationTests {

	private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");

	private static final Instant DECEMBER = Instant.parse("2026-12-01T00:00:00Z");

	private static final Instant JANUARY = Instant.parse("2027-01-01T00:00:00Z");

	private final ContractDeserializer<KeyControl> controls = new ContractDeserializer<>(KeyControl.class);

	@LocalServerPort
	private int port;

	@Autowired
	private KafkaTemplate<byte[], byte[]> kafka;

	@Test
	void pausesEveryKeyOfTheTenantAtTheCapUntilThePeriodEndsThenResumes() throws Exception {
		String tenant = "pause-" + UUID.randomUUID();
		try (Hooks.Hook hook = Hooks.register(FrontDoor.asTenant(this.port, tenant, "key-1"), "key.paused",
				"key.resumed")) {
			WebhookReceiver receiver = hook.receiver();
			Instant at = NOVEMBER.plus(Duration.ofDays(20));
			publish(spend(tenant, null, NOVEMBER, DECEMBER, "100.01", true, at));
			publish(spend(tenant, null, NOVEMBER, DECEMBER, "101", true, at.plusSeconds(1)));
			List<KeyControl> first = read(tenant + "/*", 1);
			assertThat(first).singleElement().satisfies((control) -> {
				assertThat(control.action()).isEqualTo(KeyAction.PAUSE);
				assertThat(control.reason()).isEqualTo(KeyControl.BUDGET_EXHAUSTED);
				assertThat(control.allKeys()).isTrue();
				assertThat(control.until()).isEqualTo(DECEMBER);
				assertThat(control.message()).contains("every key", "100.01 of 100 USD", "2026-12-01T00:00:00Z");
			});

			publish(spend(tenant, null, DECEMBER, JANUARY, "3", false, DECEMBER.plusSeconds(60)));
			List<KeyControl> both = read(tenant + "/*", 2);
			assertThat(both).extracting(KeyControl::action).containsExactly(KeyAction.PAUSE, KeyAction.RESUME);
			assertThat(both.getLast().until()).isNull();

			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.verified().size() == 2);
			assertThat(receiver.verified()).extracting((delivery) -> delivery.body().substring(0, 22))
				.containsExactlyInAnyOrder("{\"type\":\"key.paused\",\"", "{\"type\":\"key.resumed\",");
		}
	}

	@Test
	void resumesAKeyWhenItsCapIsRaisedInThePeriod() throws Exception {
		String tenant = "raise-" + UUID.randomUUID();
		String key = "key-" + UUID.randomUUID();
		Instant at = NOVEMBER.plus(Duration.ofDays(3));
		publish(spend(tenant, key, NOVEMBER, DECEMBER, "100", true, at));
		publish(spend(tenant, key, NOVEMBER, DECEMBER, "100", false, at.plusSeconds(30)));

		List<KeyControl> decisions = read(key, 2);
		assertThat(decisions).extracting(KeyControl::action).containsExactly(KeyAction.PAUSE, KeyAction.RESUME);
		assertThat(decisions).extracting(KeyControl::apiKeyId).containsOnly(key);
		assertThat(decisions.getLast().message()).contains("cap was raised");
	}

	private List<KeyControl> read(String recordKey, int expected) {
		List<ConsumerRecord<String, byte[]>> records = TopicReader.recordsWithKey(Topics.KEY_CONTROLS.name(), recordKey,
				expected, Duration.ofSeconds(30));
		return records.stream()
			.map((record) -> this.controls.deserialize(record.topic(), record.headers(), record.value()))
			.toList();
	}

	private void publish(ContractEvent event) throws Exception {
		Events.publish(this.kafka, event);
	}

	private static SpendUpdate spend(String tenant, @Nullable String key, Instant start, Instant end, String spend,
			boolean paused, Instant asOf) {
		return new SpendUpdate(EventIds.uuidV7(), tenant, key, start, end, SpendUpdate.USD, new BigDecimal(spend),
				new BigDecimal("100"), new BigDecimal(spend), asOf, paused, List.of(100));
	}

}
