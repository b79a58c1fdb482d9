package io.tollgate.billing.ledger;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.InvalidEventException;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.DeadLetter;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.ConsumedBatch;
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
 * Consumes metered usage in batches and prices each batch into the ledger with
 * {@link LedgerStore}, exactly once: offsets live in PostgreSQL with the ledger (see
 * {@link OffsetStore}), and a delta id is priced once however often it arrives. A record
 * that is not a valid delta is dead-lettered with its reasons, in the same transaction; a
 * batch PostgreSQL cannot take is retried by the container's error handler.
 */
@Component
class LedgerListener implements ConsumerSeekAware {

	static final String LISTENER_ID = "billing-ledger";

	private static final Logger logger = LoggerFactory.getLogger(LedgerListener.class);

	private final ContractDeserializer<MeteredUsage> deserializer = new ContractDeserializer<>(MeteredUsage.class);

	private final LedgerStore store;

	private final OffsetStore offsets;

	private final DeltaPricer pricer;

	private final OutboxRelay relay;

	private final Counter priced;

	private final Counter duplicates;

	private final Counter deadLetters;

	private final Counter unpriced;

	private final Timer batches;

	LedgerListener(LedgerStore store, OffsetStore offsets, DeltaPricer pricer, OutboxRelay relay,
			MeterRegistry registry) {
		this.store = store;
		this.offsets = offsets;
		this.pricer = pricer;
		this.relay = relay;
		this.priced = deltas(registry, "priced");
		this.duplicates = deltas(registry, "duplicate");
		this.deadLetters = deltas(registry, "dead_letter");
		this.unpriced = Counter.builder("tollgate.billing.ledger.unpriced.entries")
			.description("Ledger entries priced by the fallback rule because their model has no price")
			.register(registry);
		this.batches = Timer.builder("tollgate.billing.batch")
			.description("Time to price and commit one consumed batch of metered usage")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	private static Counter deltas(MeterRegistry registry, String result) {
		return Counter.builder("tollgate.billing.deltas")
			.description("Metered-usage records consumed, by what became of them")
			.tag("result", result)
			.register(registry);
	}

	@KafkaListener(id = LISTENER_ID, topics = "#{T(io.tollgate.contract.Topics).METERED_USAGE.name()}", batch = "true",
			idIsGroup = false, concurrency = "${tollgate.billing.ledger.concurrency:2}")
	void onBatch(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
		if (records.isEmpty()) {
			return;
		}
		Timer.Sample sample = Timer.start();
		ConsumedBatch<MeteredUsage> batch = ConsumedBatch.decode(records, this.deserializer);
		List<DeadLetter> letters = batch.deadLetters();
		List<PartitionRange> ranges = batch.ranges();
		switch (this.store.write(ranges, batch.events(), letters, this.pricer::price)) {
			case BatchTransaction.Committed<LedgerStore.Priced>(LedgerStore.Priced written) -> {
				this.priced.increment(written.priced());
				this.duplicates.increment(written.duplicates());
				this.deadLetters.increment(written.deadLetters());
				this.unpriced.increment(written.unpricedEntries());
				letters.forEach((letter) -> logger.warn("Metered-usage record {}-{}@{} sent to {}: {}",
						letter.record().topic(), letter.record().partition(), letter.record().offset(),
						Topics.METERED_USAGE.deadLetter(), InvalidEventException.summary(letter.violations())));
				if (written.deadLetters() > 0) {
					this.relay.wake();
				}
				acknowledgment.acknowledge();
			}
			case BatchTransaction.Fenced<LedgerStore.Priced> fenced ->
				OffsetStore.seek(consumer, ranges.getFirst().topic(), fenced.resume());
		}
		sample.stop(this.batches);
	}

	/** Partitions resume where PostgreSQL says (see {@link OffsetStore}). */
	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.offsets.seekOnAssignment(assignments, callback);
	}

}
