package io.tollgate.alerting.budget;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.alerting.delivery.DeliveryWorker;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.InvalidEventException;
import io.tollgate.contract.SpendUpdate;
import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.ConsumedBatch;
import io.tollgate.support.kafka.DeadLetter;
import io.tollgate.support.kafka.OffsetStore;
import io.tollgate.support.kafka.PartitionRange;
import io.tollgate.support.outbox.OutboxRelay;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Consumes spend updates in batches and raises budget alerts with
 * {@link BudgetAlertStore}, exactly once: offsets live in PostgreSQL with the alert state
 * (see {@link OffsetStore}), so a redelivered, replayed or rebalanced update never fires
 * an alert twice. A record that is not a valid spend update is dead-lettered with its
 * reasons in the same transaction; a batch PostgreSQL cannot take is retried by the
 * container's error handler. Blocking in {@link BatchTransaction} is deliberate: this
 * runs on the listener's own thread.
 */
@Component
class BudgetAlertListener implements ConsumerSeekAware {

	static final String LISTENER_ID = "alerting-budget";

	private static final Logger logger = LoggerFactory.getLogger(BudgetAlertListener.class);

	private final ContractDeserializer<SpendUpdate> deserializer = new ContractDeserializer<>(SpendUpdate.class);

	private final BudgetAlertStore store;

	private final OffsetStore offsets;

	private final OutboxRelay relay;

	private final DeliveryWorker deliveries;

	private final Counter alerts;

	private final Counter deadLetters;

	BudgetAlertListener(BudgetAlertStore store, OffsetStore offsets, OutboxRelay relay, DeliveryWorker deliveries,
			MeterRegistry registry) {
		this.store = store;
		this.offsets = offsets;
		this.relay = relay;
		this.deliveries = deliveries;
		this.alerts = Counter.builder("tollgate.alerting.budget.alerts")
			.description("Budget alerts raised (thresholds, caps, forecasts)")
			.register(registry);
		this.deadLetters = Counter.builder("tollgate.alerting.budget.dead_letters")
			.description("Spend-topic records refused as invalid")
			.register(registry);
	}

	@KafkaListener(id = LISTENER_ID, topics = "#{T(io.tollgate.contract.Topics).SPEND.name()}", batch = "true",
			idIsGroup = false, concurrency = "${tollgate.alerting.budget.concurrency:2}")
	void onBatch(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
		if (records.isEmpty()) {
			return;
		}
		ConsumedBatch<SpendUpdate> batch = ConsumedBatch.decode(records, this.deserializer);
		List<DeadLetter> letters = batch.deadLetters();
		List<PartitionRange> ranges = batch.ranges();
		switch (this.store.write(ranges, batch.events(), letters)) {
			case BatchTransaction.Committed<BudgetAlertStore.Written>(BudgetAlertStore.Written written) -> {
				this.alerts.increment(written.alerts());
				this.deadLetters.increment(written.deadLetters());
				letters.forEach((letter) -> logger.warn("Spend record {}-{}@{} sent to {}: {}", letter.record().topic(),
						letter.record().partition(), letter.record().offset(), Topics.SPEND.deadLetter(),
						InvalidEventException.summary(letter.violations())));
				if (written.published() > 0) {
					this.relay.wake();
				}
				if (written.deliveries() > 0) {
					this.deliveries.wake();
				}
				acknowledgment.acknowledge();
			}
			case BatchTransaction.Fenced<BudgetAlertStore.Written> fenced ->
				OffsetStore.seek(consumer, ranges.getFirst().topic(), fenced.resume());
		}
	}

	/** Partitions resume where PostgreSQL says (see {@link OffsetStore}). */
	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.offsets.seekOnAssignment(assignments, callback);
	}

}
