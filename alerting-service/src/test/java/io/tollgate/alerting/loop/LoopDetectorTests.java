package io.tollgate.alerting.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import io.tollgate.contract.Endpoint;
import io.tollgate.contract.Provider;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.UsageEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopDetectorTests {

	private static final Instant START = Instant.parse("2026-11-03T09:00:00Z");

	private final LoopDetector detector = new LoopDetector(new LoopDetector.Settings(10, Duration.ofMinutes(10), 20, 5,
			Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofMinutes(15)));

	@Test
	void warnsWhenTheSameRequestRepeatsThenPausesWhenItRepeatsAgain() {
		LoopDetector.KeyState state = LoopDetector.KeyState.empty();
		List<LoopDetector.Detection> found = new ArrayList<>();
		// The incident: identical calls 8 s apart, each re-reading a big cached context.
		for (int i = 0; i < 100; i++) {
			state = feed(state, call(START.plusSeconds(8L * i), "same-request", 200_000, 150), found);
		}

		assertThat(found).hasSizeGreaterThanOrEqualTo(2);
		assertThat(found.getFirst().detector()).isEqualTo("repetition");
		assertThat(found.getFirst().pause()).isFalse();
		assertThat(found.getFirst().evidence()).containsEntry("identical_calls", 10);
		assertThat(found.get(1).pause()).isTrue();
	}

	@Test
	void staysSilentForABusyButHealthyKeyWithABurst() {
		Random random = new Random(7);
		LoopDetector.KeyState state = LoopDetector.KeyState.empty();
		List<LoopDetector.Detection> found = new ArrayList<>();
		Instant at = START;
		for (int i = 0; i < 2000; i++) {
			// Normal pace 1 call a second; from call 600 on, ten a second for 30 s.
			at = at.plusMillis((i >= 600 && i < 900) ? 100 : 1000);
			state = feed(state, call(at, "prompt-" + random.nextInt(1_000_000), 500 + random.nextInt(20_000),
					50 + random.nextInt(2000)), found);
		}

		assertThat(found).isEmpty();
	}

	@Test
	void detectsContextGrowingCallAfterCallInATightLoop() {
		LoopDetector.KeyState state = LoopDetector.KeyState.empty();
		List<LoopDetector.Detection> found = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			state = feed(state, call(START.plusSeconds(2L * i), "step-" + i, 10_000 + 5_000L * i, 120), found);
		}

		assertThat(found).singleElement().satisfies((detection) -> {
			assertThat(detection.detector()).isEqualTo("context_growth");
			assertThat(detection.evidence()).containsEntry("calls", 20).containsEntry("input_tokens_last", 105_000L);
		});
	}

	@Test
	void staysSilentForAChatWhoseContextGrowsWithHumanPauses() {
		LoopDetector.KeyState state = LoopDetector.KeyState.empty();
		List<LoopDetector.Detection> found = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			state = feed(state, call(START.plusSeconds(40L * i), "turn-" + i, 2_000 + 800L * i, 60), found);
		}

		assertThat(found).isEmpty();
	}

	@Test
	void countsACallPublishedTwiceOnce() {
		LoopDetector.KeyState state = LoopDetector.KeyState.empty();
		UsageEvent once = call(START, "same-request", 1000, 10);
		List<LoopDetector.Detection> found = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			state = feed(state, once, found);
		}

		assertThat(found).isEmpty();
		assertThat(state.recent()).hasSize(1);
	}

	private LoopDetector.KeyState feed(LoopDetector.KeyState state, UsageEvent event,
			List<LoopDetector.Detection> found) {
		Optional<LoopDetector.Detection> detection = this.detector.observe(state, event);
		detection.ifPresent(found::add);
		return detection.isPresent() ? new LoopDetector.KeyState(state.recent(), event.completedAt()) : state;
	}

	private static UsageEvent call(Instant completedAt, String fingerprint, long input, long output) {
		return UsageEvent.builder()
			.tenantId("tenant")
			.apiKeyId("key")
			.provider(Provider.ANTHROPIC)
			.model("claude-sonnet-4-5")
			.endpoint(Endpoint.MESSAGES)
			.tokens(new TokenCounts(input, output, 0, 0, 0, 0, 0))
			.requestFingerprint(fingerprint)
			.startedAt(completedAt.minusSeconds(1))
			.completedAt(completedAt)
			.build();
	}

}
