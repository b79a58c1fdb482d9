package io.tollgate.alerting.budget;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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
import io.tollgate.contract.SpendUpdate;
import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.DeadLetter;
import io.tollgate.support.kafka.DeadLetters;
import io.tollgate.support.kafka.PartitionRange;
import io.tollgate.support.outbox.OutboxRecord;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Writes one consumed batch of spend updates in one PostgreSQL transaction (see
 * {@link BatchTransaction}): for each update in order, reads what has fired for its
 * budget and period, applies {@link BudgetRules}' decision (state rows deleted to re-arm,
 * inserted to fire, with {@code ON CONFLICT DO NOTHING} so that an alert fires only for
 * the transaction that inserted its row), and raises the fired alerts with their webhook
 * deliveries; dead letters go to the outbox; the offsets advance; commit.
 */
@Repository
class BudgetAlertStore {

	private final DatabaseClient db;

	private final BatchTransaction batches;

	private final AlertStore alerts;

	private final KeyControlStore controls;

	private final BudgetRules.ForecastSettings forecast;

	private final Clock clock;

	BudgetAlertStore(DatabaseClient db, BatchTransaction batches, AlertStore alerts, KeyControlStore controls,
			AlertingProperties properties, Clock clock) {
		this.db = db;
		this.controls = controls;
		this.batches = batches;
		this.alerts = alerts;
		AlertingProperties.Budget budget = properties.budget();
		this.forecast = new BudgetRules.ForecastSettings(budget.forecastMinElapsedPercent(), budget.forecastMinSpend(),
				budget.forecastRearmAfter());
		this.clock = clock;
	}

	/** What a batch did. */
	record Written(int updates, int alerts, long deliveries, int deadLetters, int published) {

	}

	BatchTransaction.Result<Written> write(List<PartitionRange> ranges, List<SpendUpdate> updates,
			List<DeadLetter> deadLetters) {
		return this.batches.commit(ranges, () -> {
			List<Alert> raised = new ArrayList<>();
			Instant now = this.clock.instant();
			List<OutboxRecord> published = new ArrayList<>();
			deadLetters.forEach((letter) -> published.add(DeadLetters.toRecord(letter, Topics.SPEND.deadLetter())));
			return Flux.fromIterable(updates)
				.concatMap((update) -> apply(update, raised, published))
				.then(Mono.defer(() -> this.alerts.raise(raised, now)))
				.map((deliveries) -> new BatchTransaction.Written<>(
						new Written(updates.size(), raised.size(), deliveries, deadLetters.size(), published.size()),
						published));
		});
	}

	private Mono<Void> apply(SpendUpdate update, List<Alert> raised, List<OutboxRecord> published) {
		String key = (update.apiKeyId() != null) ? update.apiKeyId() : "";
		OffsetDateTime period = update.periodStart().atOffset(ZoneOffset.UTC);
		return state(update.tenantId(), key, period).flatMap((fired) -> {
			BudgetRules.Decision decision = BudgetRules.decide(update, fired, this.forecast);
			Mono<Void> rearm = decision.rearm().isEmpty() ? Mono.empty()
					: this.db
						.sql("DELETE FROM budget_alert_state WHERE tenant_id = :tenant AND api_key_id = :key "
								+ "AND period_start = :period AND alert = ANY (:alerts)")
						.bind("tenant", update.tenantId())
						.bind("key", key)
						.bind("period", period)
						.bind("alerts", decision.rearm().toArray(String[]::new))
						.then();
			Mono<Void> under = (decision.forecastUnderSince() == null) ? Mono.empty()
					: underSince(update, key, period, decision.forecastUnderSince());
			Mono<Void> fire = Flux.fromIterable(decision.fire().entrySet())
				.concatMap((entry) -> fire(update, key, period, entry.getKey(), entry.getValue(), raised))
				.then();
			return rearm.then(under).then(fire).then(pause(update, key, raised, published));
		});
	}

	/**
	 * Pauses or resumes access for a budget that pauses at its cap: one key control on
	 * the compacted topic (through the outbox, so it is published if and only if this
	 * transaction commits) and one {@code key.paused} or {@code key.resumed} alert.
	 */
	private Mono<Void> pause(SpendUpdate update, String key, List<Alert> raised, List<OutboxRecord> published) {
		return this.db.sql("SELECT period_start FROM key_pauses WHERE tenant_id = :tenant AND api_key_id = :key")
			.bind("tenant", update.tenantId())
			.bind("key", key)
			.map((row, meta) -> Optional.of(row.get("period_start", OffsetDateTime.class).toInstant()))
			.one()
			.defaultIfEmpty(Optional.empty())
			.flatMap((paused) -> switch (BudgetRules.pause(update, paused.orElse(null))) {
				case BudgetRules.Keep keep -> Mono.<Void>empty();
				case BudgetRules.Pause p -> {
					KeyControl control = control(update, KeyAction.PAUSE, update.periodEnd(), pauseMessage(update));
					raised.add(keyAlert(update, AlertType.KEY_PAUSED, control, "the budget's cap is reached"));
					yield this.controls.record(control)
						.doOnNext(published::add)
						.then(this.db
							.sql("INSERT INTO key_pauses (tenant_id, api_key_id, period_start, until, control_id, "
									+ "paused_at) VALUES (:tenant, :key, :period, :until, :control, :at) ON CONFLICT "
									+ "(tenant_id, api_key_id) DO UPDATE SET period_start = EXCLUDED.period_start, "
									+ "until = EXCLUDED.until, control_id = EXCLUDED.control_id, "
									+ "paused_at = EXCLUDED.paused_at")
							.bind("tenant", update.tenantId())
							.bind("key", key)
							.bind("period", update.periodStart().atOffset(ZoneOffset.UTC))
							.bind("until", update.periodEnd().atOffset(ZoneOffset.UTC))
							.bind("control", control.controlId())
							.bind("at", update.asOf().atOffset(ZoneOffset.UTC))
							.then());
				}
				case BudgetRules.Resume resume -> {
					KeyControl control = control(update, KeyAction.RESUME, null,
							"Access is back: " + resume.why() + ".");
					Mono<Void> forget = this.db
						.sql("DELETE FROM key_pauses WHERE tenant_id = :tenant AND api_key_id = :key")
						.bind("tenant", update.tenantId())
						.bind("key", key)
						.then();
					// An administrator's pause since is theirs to lift, not the budget's.
					yield this.controls.current(control.partitionKey()).flatMap((current) -> {
						if (current.isPresent() && !KeyControl.BUDGET_EXHAUSTED.equals(current.get().reason())) {
							return forget;
						}
						raised.add(keyAlert(update, AlertType.KEY_RESUMED, control, resume.why()));
						return this.controls.record(control).doOnNext(published::add).then(forget);
					});
				}
			});
	}

	private KeyControl control(SpendUpdate update, KeyAction action, @Nullable Instant until, String message) {
		return new KeyControl(EventIds.uuidV7(this.clock), update.tenantId(),
				(update.apiKeyId() != null) ? update.apiKeyId() : KeyControl.ALL_KEYS, action,
				KeyControl.BUDGET_EXHAUSTED, message, until, update.asOf());
	}

	private static String pauseMessage(SpendUpdate update) {
		String budget = (update.apiKeyId() != null) ? "The budget of key " + update.apiKeyId()
				: "The budget of tenant " + update.tenantId() + " (every key)";
		return budget + " for " + update.periodStart() + " to " + update.periodEnd() + " is reached: "
				+ update.spendToDate().toPlainString() + " of " + update.cap().toPlainString()
				+ " USD spent. Access returns at " + update.periodEnd() + ", or when the cap is raised.";
	}

	private Alert keyAlert(SpendUpdate update, AlertType type, KeyControl control, String why) {
		Map<String, Object> data = BudgetRules.evidence(update);
		data.put("control_id", control.controlId());
		data.put("reason", control.reason());
		data.put("why", why);
		data.put("keys", control.allKeys() ? "all keys of the tenant" : control.apiKeyId());
		data.put("until", (control.until() != null) ? control.until().toString() : null);
		return new Alert(EventIds.uuidV7(this.clock), update.tenantId(), update.apiKeyId(), type, update.asOf(), data);
	}

	private Mono<Map<String, BudgetRules.State>> state(String tenant, String key, OffsetDateTime period) {
		return this.db
			.sql("SELECT alert, fired_at, under_since FROM budget_alert_state WHERE tenant_id = :tenant "
					+ "AND api_key_id = :key AND period_start = :period")
			.bind("tenant", tenant)
			.bind("key", key)
			.bind("period", period)
			.map((row, meta) -> {
				OffsetDateTime under = row.get("under_since", OffsetDateTime.class);
				return Map.entry(row.get("alert", String.class),
						new BudgetRules.State(row.get("fired_at", OffsetDateTime.class).toInstant(),
								(under != null) ? under.toInstant() : null));
			})
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
	}

	private Mono<Void> underSince(SpendUpdate update, String key, OffsetDateTime period, Instant since) {
		DatabaseClient.GenericExecuteSpec spec = this.db
			.sql("UPDATE budget_alert_state SET under_since = :since WHERE tenant_id = :tenant "
					+ "AND api_key_id = :key AND period_start = :period AND alert = :alert");
		spec = (since.equals(BudgetRules.Decision.CLEAR)) ? spec.bindNull("since", OffsetDateTime.class)
				: spec.bind("since", since.atOffset(ZoneOffset.UTC));
		return spec.bind("tenant", update.tenantId())
			.bind("key", key)
			.bind("period", period)
			.bind("alert", BudgetRules.FORECAST)
			.then();
	}

	private Mono<Void> fire(SpendUpdate update, String key, OffsetDateTime period, String name, BudgetRules.Fired fired,
			List<Alert> raised) {
		String alertId = EventIds.uuidV7(this.clock);
		return this.db
			.sql("INSERT INTO budget_alert_state (tenant_id, api_key_id, period_start, alert, alert_id, fired_at) "
					+ "VALUES (:tenant, :key, :period, :alert, :id, :at) ON CONFLICT DO NOTHING RETURNING alert_id")
			.bind("tenant", update.tenantId())
			.bind("key", key)
			.bind("period", period)
			.bind("alert", name)
			.bind("id", alertId)
			.bind("at", update.asOf().atOffset(ZoneOffset.UTC))
			.map((row, meta) -> row.get("alert_id", String.class))
			.one()
			.doOnNext((inserted) -> raised.add(new Alert(alertId, update.tenantId(), update.apiKeyId(), fired.type(),
					update.asOf(), fired.data())))
			.then();
	}

}
