package io.tollgate.gateway.keycontrol;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.Topics;
import io.tollgate.gateway.config.GatewayProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which pause is in force for a key: its own, its tenant's, neither once {@code until}
 * has passed; and what applying the topic's records does to that state.
 */
class KeyControlsTests {

	private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final KeyControls controls = new KeyControls(
			new GatewayProperties.KeyControls(true, Duration.ofMillis(100), Duration.ofSeconds(1)), Map.of(),
			this.registry, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void aKeysPauseRefusesThatKeyOnly() {
		apply(pause("t1", "k1", KeyControl.BUDGET_EXHAUSTED, NOW.plusSeconds(3600)));

		assertThat(this.controls.pauseOf("t1", "k1", NOW))
			.hasValueSatisfying((pause) -> assertThat(pause.reason()).isEqualTo(KeyControl.BUDGET_EXHAUSTED));
		assertThat(this.controls.pauseOf("t1", "k2", NOW)).isEmpty();
	}

	@Test
	void aTenantWidePauseRefusesEveryKeyOfThatTenantOnly() {
		apply(pause("t1", KeyControl.ALL_KEYS, KeyControl.MANUAL, null));

		assertThat(this.controls.pauseOf("t1", "k1", NOW)).isPresent();
		assertThat(this.controls.pauseOf("t1", "a-key-created-later", NOW)).isPresent();
		assertThat(this.controls.pauseOf("t2", "k3", NOW)).isEmpty();
	}

	@Test
	void aPauseEndsAtItsUntil() {
		Instant until = NOW.plusSeconds(600);
		apply(pause("t1", "k1", KeyControl.RUNAWAY_LOOP, until));
		apply(pause("t2", KeyControl.ALL_KEYS, KeyControl.BUDGET_EXHAUSTED, until));

		assertThat(this.controls.pauseOf("t1", "k1", until.minusNanos(1))).isPresent();
		assertThat(this.controls.pauseOf("t1", "k1", until)).isEmpty();
		assertThat(this.controls.pauseOf("t2", "k2", until.minusNanos(1))).isPresent();
		assertThat(this.controls.pauseOf("t2", "k2", until.plusSeconds(1))).isEmpty();
	}

	@Test
	void aPauseWithoutUntilLastsUntilItIsResumed() {
		apply(pause("t1", "k1", KeyControl.MANUAL, null));

		assertThat(this.controls.pauseOf("t1", "k1", NOW.plus(Duration.ofDays(3650)))).isPresent();
		apply(control("t1", "k1", KeyAction.RESUME, KeyControl.MANUAL, null));
		assertThat(this.controls.pauseOf("t1", "k1", NOW)).isEmpty();
	}

	@Test
	void whenTheKeyAndItsTenantArePausedTheLongerPauseIsReported() {
		apply(pause("t1", "k1", KeyControl.RUNAWAY_LOOP, NOW.plusSeconds(60)));
		apply(pause("t1", KeyControl.ALL_KEYS, KeyControl.BUDGET_EXHAUSTED, NOW.plusSeconds(3600)));

		assertThat(this.controls.pauseOf("t1", "k1", NOW))
			.hasValueSatisfying((pause) -> assertThat(pause.reason()).isEqualTo(KeyControl.BUDGET_EXHAUSTED));
		// Once the tenant's budget returns, the key's own pause is still in force.
		apply(control("t1", KeyControl.ALL_KEYS, KeyAction.RESUME, KeyControl.BUDGET_EXHAUSTED, null));
		assertThat(this.controls.pauseOf("t1", "k1", NOW))
			.hasValueSatisfying((pause) -> assertThat(pause.reason()).isEqualTo(KeyControl.RUNAWAY_LOOP));
	}

	@Test
	void aKeyPausedUnderAnotherTenantIsNotThisTenantsKey() {
		apply(pause("t1", "k1", KeyControl.MANUAL, null));

		assertThat(this.controls.pauseOf("t2", "k1", NOW)).isEmpty();
	}

	@Test
	void aTombstoneRemovesTheKeysState() {
		apply(pause("t1", "k1", KeyControl.MANUAL, null));

		this.controls.apply(record("k1", null));

		assertThat(this.controls.pauseOf("t1", "k1", NOW)).isEmpty();
		assertThat(this.registry.get("tollgate.gateway.key.controls.decisions")
			.tag("action", "tombstone")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void anUnreadableRecordIsCountedAndSkippedAndTheKeyKeepsItsState() {
		apply(pause("t1", "k1", KeyControl.MANUAL, null));

		this.controls.apply(record("k1", "{\"not\":\"a key control\"}".getBytes(StandardCharsets.UTF_8)));

		assertThat(this.controls.pauseOf("t1", "k1", NOW)).isPresent();
		assertThat(this.registry.get("tollgate.gateway.key.controls.invalid").counter().count()).isEqualTo(1);
	}

	@Test
	void aDecisionUnderAnotherRecordKeyIsSkipped() {
		KeyControl pause = pause("t1", "k1", KeyControl.MANUAL, null);

		this.controls.apply(record("k2", serialize(pause)));

		assertThat(this.controls.pauseOf("t1", "k1", NOW)).isEmpty();
		assertThat(this.controls.pauseOf("t1", "k2", NOW)).isEmpty();
		assertThat(this.registry.get("tollgate.gateway.key.controls.invalid").counter().count()).isEqualTo(1);
	}

	@Test
	void thePausedGaugeCountsThePausesInForceNow() {
		apply(pause("t1", "k1", KeyControl.MANUAL, null));
		apply(pause("t1", KeyControl.ALL_KEYS, KeyControl.BUDGET_EXHAUSTED, NOW.plusSeconds(60)));
		apply(pause("t2", "k2", KeyControl.RUNAWAY_LOOP, NOW.minusSeconds(1).plusMillis(500)));

		assertThat(this.registry.get("tollgate.gateway.key.controls.paused").gauge().value()).isEqualTo(2);
	}

	/** Through the record path: serialized as alerting does, CloudEvents headers too. */
	private void apply(KeyControl control) {
		RecordHeaders headers = new RecordHeaders();
		byte[] value = new ContractSerializer<KeyControl>("/tollgate/test").serialize(Topics.KEY_CONTROLS.name(),
				headers, control);
		this.controls.apply(new ConsumerRecord<>(Topics.KEY_CONTROLS.name(), 0, 0L, ConsumerRecord.NO_TIMESTAMP,
				TimestampType.NO_TIMESTAMP_TYPE, -1, -1, control.partitionKey(), value, headers, Optional.empty()));
	}

	private static byte[] serialize(KeyControl control) {
		return new ContractSerializer<KeyControl>("/tollgate/test").serialize(Topics.KEY_CONTROLS.name(), control);
	}

	private static ConsumerRecord<String, byte[]> record(String key, byte @Nullable [] value) {
		return new ConsumerRecord<>(Topics.KEY_CONTROLS.name(), 0, 0, key, value);
	}

	private static KeyControl pause(String tenant, String key, String reason, @Nullable Instant until) {
		return control(tenant, key, KeyAction.PAUSE, reason, until);
	}

	private static KeyControl control(String tenant, String key, KeyAction action, String reason,
			@Nullable Instant until) {
		return new KeyControl("c-" + System.nanoTime(), tenant, key, action, reason, "Budget 'prod' is spent", until,
				NOW.minusSeconds(60));
	}

}
