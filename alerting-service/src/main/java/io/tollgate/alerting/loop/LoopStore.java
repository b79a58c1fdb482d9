package io.tollgate.alerting.loop;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tollgate.alerting.alert.Alert;
import io.tollgate.alerting.alert.AlertStore;
import io.tollgate.alerting.alert.AlertType;
import io.tollgate.alerting.config.AlertingProperties;
import io.tollgate.alerting.keycontrol.KeyControlStore;
import io.tollgate.contract.EventIds;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.UsageEvent;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.PartitionRange;
import io.tollgate.support.outbox.OutboxRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Runs one consumed batch of usage events through the {@link LoopDetector} in one
 * PostgreSQL transaction (see {@link BatchTransaction}): loads the detectors' state of
 * every key in the batch, feeds it the key's events in order, raises
 * {@code loop.detected} (and, when the policy pauses, a key control through the outbox
 * and {@code key.paused}), saves the states, advances the offsets, commits.
 */
@Repository
class LoopStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DatabaseClient db;

	private final BatchTransaction batches;

	private final AlertStore alerts;

	private final KeyControlStore controls;

	private final LoopDetector detector;

	private final AlertingProperties.Loops settings;

	private final Clock clock;

	LoopStore(DatabaseClient db, BatchTransaction batches, AlertStore alerts, KeyControlStore controls,
			AlertingProperties properties, Clock clock) {
		this.db = db;
		this.batches = batches;
		this.alerts = alerts;
		this.controls = controls;
		this.settings = properties.loops();
		this.detector = new LoopDetector(new LoopDetector.Settings(this.settings.repeatThreshold(),
				this.settings.repeatWindow(), this.settings.growthCalls(), this.settings.growthMaxOutputPercent(),
				this.settings.growthMaxGap(), this.settings.cooldown(), this.settings.escalateWithin(),
				this.settings.pauseFor()));
		this.clock = clock;
	}

	/** What a batch did. */
	record Written(int events, int detections, int pauses, long deliveries) {

	}

	BatchTransaction.Result<Written> write(List<PartitionRange> ranges, List<UsageEvent> events) {
		return this.batches.commit(ranges, () -> {
			Map<String, String> tenants = new LinkedHashMap<>();
			events.forEach((event) -> tenants.put(event.apiKeyId(), event.tenantId()));
			return load(List.copyOf(tenants.keySet())).flatMap((states) -> {
				List<Alert> raised = new ArrayList<>();
				List<KeyControl> pauses = new ArrayList<>();
				int detections = 0;
				for (UsageEvent event : events) {
					LoopDetector.KeyState state = states.computeIfAbsent(event.apiKeyId(),
							(key) -> LoopDetector.KeyState.empty());
					Optional<LoopDetector.Detection> detection = this.detector.observe(state, event);
					if (detection.isPresent()) {
						detections++;
						states.put(event.apiKeyId(), new LoopDetector.KeyState(state.recent(), event.completedAt()));
						raise(event, detection.get(), raised, pauses);
					}
				}
				int found = detections;
				Instant now = this.clock.instant();
				return Flux.fromIterable(pauses)
					.concatMap(this.controls::record)
					.collectList()
					.flatMap((records) -> save(states, tenants, now).then(this.alerts.raise(raised, now))
						.map((deliveries) -> new BatchTransaction.Written<>(
								new Written(events.size(), found, pauses.size(), deliveries), records)));
			});
		});
	}

	private void raise(UsageEvent event, LoopDetector.Detection detection, List<Alert> raised,
			List<KeyControl> pauses) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("detector", detection.detector());
		data.put("action", detection.pause() ? "pause" : "warn");
		data.put("evidence", detection.evidence());
		Instant at = event.completedAt();
		if (detection.pause()) {
			Instant until = at.plus(this.settings.pauseFor());
			KeyControl control = new KeyControl(EventIds.uuidV7(this.clock), event.tenantId(), event.apiKeyId(),
					KeyAction.PAUSE, KeyControl.RUNAWAY_LOOP, "A runaway loop was detected again ("
							+ detection.detector().replace('_', ' ') + "): the key is paused until " + until + ".",
					until, at);
			pauses.add(control);
			data.put("control_id", control.controlId());
			data.put("until", until.toString());
			Map<String, Object> paused = new LinkedHashMap<>(data);
			paused.put("reason", KeyControl.RUNAWAY_LOOP);
			paused.put("keys", event.apiKeyId());
			raised.add(new Alert(EventIds.uuidV7(this.clock), event.tenantId(), event.apiKeyId(), AlertType.KEY_PAUSED,
					at, paused));
		}
		raised.add(new Alert(EventIds.uuidV7(this.clock), event.tenantId(), event.apiKeyId(), AlertType.LOOP_DETECTED,
				at, data));
	}

	private Mono<Map<String, LoopDetector.KeyState>> load(List<String> keys) {
		return this.db.sql("SELECT api_key_id, state::text AS state FROM loop_state WHERE api_key_id = ANY (:keys)")
			.bind("keys", keys.toArray(String[]::new))
			.map((row, meta) -> Map.entry(row.get("api_key_id", String.class),
					JSON.readValue(row.get("state", String.class), LoopDetector.KeyState.class)))
			.all()
			.collectMap(Map.Entry::getKey, (entry) -> mutable(entry.getValue()), HashMap::new);
	}

	// A state read back holds an immutable list; the detector appends to it.
	private static LoopDetector.KeyState mutable(LoopDetector.KeyState state) {
		return new LoopDetector.KeyState(new ArrayList<>(state.recent()), state.lastDetection());
	}

	private Mono<Void> save(Map<String, LoopDetector.KeyState> states, Map<String, String> tenants, Instant now) {
		List<String> keys = List.copyOf(tenants.keySet());
		return this.db
			.sql("INSERT INTO loop_state (api_key_id, tenant_id, state, updated_at) "
					+ "SELECT k, t, CAST(s AS jsonb), :now FROM unnest(:keys, :tenants, :states) AS u(k, t, s) "
					+ "ON CONFLICT (api_key_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at")
			.bind("now", now.atOffset(ZoneOffset.UTC))
			.bind("keys", keys.toArray(String[]::new))
			.bind("tenants", keys.stream().map(tenants::get).toArray(String[]::new))
			.bind("states", keys.stream().map((key) -> JSON.writeValueAsString(states.get(key))).toArray(String[]::new))
			.then();
	}

}
