package io.tollgate.alerting.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tollgate.contract.UsageEvent;
import org.jspecify.annotations.Nullable;

/**
 * Decides, call by call, whether one API key's traffic looks like a runaway agent loop.
 * Pure: the store loads each key's {@link KeyState}, feeds it the batch's events in order
 * and saves it, in the consumer's transaction.
 *
 * <p>
 * Detectors, over the key's recent calls (kept for the longest window, at most
 * {@link #MAX_RECENT}):
 * <ul>
 * <li><b>repetition</b>: the same {@code request_fingerprint} at least
 * {@code repeatThreshold} times within {@code repeatWindow} (agent frameworks stop at 3
 * to 10 identical tool calls; a real incident made 220 identical calls 8 s apart);</li>
 * <li><b>context growth</b>: the last {@code growthCalls} calls each sent more input
 * tokens than the one before, each answered with little output (at most
 * {@code growthMaxOutputPercent} % of its input), each within {@code growthMaxGap} of the
 * previous: an agent resending an ever-growing history without a person in between. A
 * chat whose context grows with human pauses never satisfies the gap.</li>
 * </ul>
 * A call seen before (same event id: the gateway publishes at least once) is ignored. A
 * detection is reported at most once per {@code cooldown} per key. The policy escalates:
 * the first detection warns; another within {@code escalateWithin} of the last one pauses
 * the key for {@code pauseFor}.
 */
final class LoopDetector {

	/** Most calls kept per key: bounds the state whatever the rate. */
	static final int MAX_RECENT = 400;

	private final Settings settings;

	LoopDetector(Settings settings) {
		this.settings = settings;
	}

	/**
	 * The detectors' settings.
	 *
	 * @param repeatThreshold identical requests that make a loop
	 * @param repeatWindow within how long
	 * @param growthCalls consecutive growing calls that make a loop
	 * @param growthMaxOutputPercent most output, in percent of the input, of a growing
	 * call
	 * @param growthMaxGap longest gap between growing calls
	 * @param cooldown least time between two reports for one key
	 * @param escalateWithin a detection this soon after the previous one pauses the key
	 * @param pauseFor how long a loop pauses the key
	 */
	record Settings(int repeatThreshold, Duration repeatWindow, int growthCalls, int growthMaxOutputPercent,
			Duration growthMaxGap, Duration cooldown, Duration escalateWithin, Duration pauseFor) {

	}

	/**
	 * One call as the detectors remember it.
	 *
	 * @param eventId the usage event's id
	 * @param at when it completed
	 * @param fingerprint its request fingerprint, if the gateway computed one
	 * @param input its total input tokens
	 * @param output its output tokens
	 */
	record Call(String eventId, Instant at, @Nullable String fingerprint, long input, long output) {

	}

	/**
	 * What the detectors keep per key.
	 *
	 * @param recent recent calls, oldest first
	 * @param lastDetection when a loop was last reported
	 */
	record KeyState(List<Call> recent, @Nullable Instant lastDetection) {

		static KeyState empty() {
			return new KeyState(new ArrayList<>(), null);
		}

	}

	/**
	 * A loop found.
	 *
	 * @param detector {@code repetition} or {@code context_growth}
	 * @param pause whether the policy pauses the key (else it warns)
	 * @param evidence what was seen
	 */
	record Detection(String detector, boolean pause, Map<String, Object> evidence) {

	}

	/**
	 * Feeds one call to a key's state.
	 * @param state the key's state, changed in place
	 * @param event the call
	 * @return a detection to report, if any
	 */
	Optional<Detection> observe(KeyState state, UsageEvent event) {
		List<Call> recent = state.recent();
		for (Call call : recent) {
			if (call.eventId().equals(event.eventId())) {
				return Optional.empty();
			}
		}
		Instant at = event.completedAt();
		recent.add(new Call(event.eventId(), at, event.requestFingerprint(), event.totalInputTokens(),
				event.tokens().output()));
		Instant horizon = at.minus(this.settings.repeatWindow());
		recent.removeIf((call) -> call.at().isBefore(horizon));
		while (recent.size() > MAX_RECENT) {
			recent.removeFirst();
		}
		Map<String, Object> evidence = repetition(recent, event);
		String detector = "repetition";
		if (evidence == null) {
			evidence = growth(recent);
			detector = "context_growth";
		}
		if (evidence == null) {
			return Optional.empty();
		}
		Instant last = state.lastDetection();
		if (last != null && at.isBefore(last.plus(this.settings.cooldown()))) {
			return Optional.empty();
		}
		boolean pause = last != null && !at.isAfter(last.plus(this.settings.escalateWithin()));
		return Optional.of(new Detection(detector, pause, evidence));
	}

	private @Nullable Map<String, Object> repetition(List<Call> recent, UsageEvent event) {
		String fingerprint = event.requestFingerprint();
		if (fingerprint == null) {
			return null;
		}
		Instant from = event.completedAt().minus(this.settings.repeatWindow());
		List<Call> same = recent.stream()
			.filter((call) -> fingerprint.equals(call.fingerprint()) && !call.at().isBefore(from))
			.toList();
		if (same.size() < this.settings.repeatThreshold()) {
			return null;
		}
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("window_seconds", this.settings.repeatWindow().toSeconds());
		evidence.put("identical_calls", same.size());
		evidence.put("first_at", same.getFirst().at().toString());
		evidence.put("last_at", same.getLast().at().toString());
		evidence.put("input_tokens", same.stream().mapToLong(Call::input).sum());
		evidence.put("output_tokens", same.stream().mapToLong(Call::output).sum());
		evidence.put("sample_fingerprints", List.of(fingerprint));
		return evidence;
	}

	private @Nullable Map<String, Object> growth(List<Call> recent) {
		int needed = this.settings.growthCalls();
		if (recent.size() < needed) {
			return null;
		}
		List<Call> tail = recent.subList(recent.size() - needed, recent.size());
		for (int i = 1; i < tail.size(); i++) {
			Call previous = tail.get(i - 1);
			Call call = tail.get(i);
			boolean grows = call.input() > previous.input();
			boolean small = call.output() * 100 <= call.input() * this.settings.growthMaxOutputPercent();
			boolean tight = !Duration.between(previous.at(), call.at())
				.minus(this.settings.growthMaxGap())
				.isPositive();
			if (!grows || !small || !tight) {
				return null;
			}
		}
		Set<String> fingerprints = new LinkedHashSet<>();
		tail.stream().map(Call::fingerprint).filter((f) -> f != null).limit(3).forEach(fingerprints::add);
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("calls", tail.size());
		evidence.put("first_at", tail.getFirst().at().toString());
		evidence.put("last_at", tail.getLast().at().toString());
		evidence.put("input_tokens_first", tail.getFirst().input());
		evidence.put("input_tokens_last", tail.getLast().input());
		evidence.put("input_tokens", tail.stream().mapToLong(Call::input).sum());
		evidence.put("output_tokens", tail.stream().mapToLong(Call::output).sum());
		evidence.put("sample_fingerprints", List.copyOf(fingerprints));
		return evidence;
	}

}
