package io.tollgate.alerting.budget;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.alerting.alert.Alert;
import io.tollgate.alerting.alert.AlertStore;
import io.tollgate.alerting.config.AlertingProperties;
import io.tollgate.contract.EventIds;
import io.tollgate.contract.SpendUpdate;
import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.DeadLetter;
import io.tollgate.support.kafka.DeadLetters;
import io.tollgate.support.kafka.PartitionRange;
import io.tollgate.support.outbox.OutboxRecord;
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

	private final BudgetRules.ForecastSettings forecast;

	private final Clock clock;

	BudgetAlertStore(DatabaseClient db, BatchTransaction batches, AlertStore alerts, AlertingProperties properties,
			Clock clock) {
		this.db = db;
		this.batches = batches;
		this.alerts = alerts;
		AlertingProperties.Budget budget = properties.budget();
		this.forecast = new BudgetRules.ForecastSettings(budget.forecastMinElapsedPercent(), budget.forecastMinSpend(),
				budget.forecastRearmAfter());
		this.clock = clock;
	}

	/** What a batch did. */
	record Written(int updates, int alerts, long deliveries, int deadLetters) {

	}

	BatchTransaction.Result<Written> write(List<PartitionRange> ranges, List<SpendUpdate> updates,
			List<DeadLetter> deadLetters) {
		return this.batches.commit(ranges, () -> {
			List<Alert> raised = new ArrayList<>();
			Instant now = this.clock.instant();
			List<OutboxRecord> letters = deadLetters.stream()
				.map((letter) -> DeadLetters.toRecord(letter, Topics.SPEND.deadLetter()))
				.toList();
			return Flux.fromIterable(updates)
				.concatMap((update) -> apply(update, raised))
				.then(Mono.defer(() -> this.alerts.raise(raised, now)))
				.map((deliveries) -> new BatchTransaction.Written<>(
						new Written(updates.size(), raised.size(), deliveries, letters.size()), letters));
		});
	}

	private Mono<Void> apply(SpendUpdate update, List<Alert> raised) {
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
			return rearm.then(under).then(fire);
		});
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
