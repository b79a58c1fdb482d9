package io.tollgate.metering.aggregation;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollgate.contract.Topics;
import io.tollgate.metering.config.MeteringProperties;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.OffsetStore;
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
 * Consumes the usage topic in batches and hands each batch to {@link AggregateStore}.
 *
 * <p>
 * PostgreSQL, not Kafka, holds the consumed offsets: on assignment each partition is
 * sought to the offset committed with its aggregates, and a batch another consumer has
 * already counted is fenced and skipped. Kafka's committed offsets follow afterwards,
 * only so that consumer lag shows in the usual tools. A failed batch (PostgreSQL down)
 * throws, and the container's error handler retries it with backoff; nothing in the batch
 * was written, so the retry is safe.
 */
@Component
class UsageAggregator implements ConsumerSeekAware {

	static final String LISTENER_ID = "metering-aggregator";

	private static final Logger logger = LoggerFactory.getLogger(UsageAggregator.class);

	private final Intake intake;

	private final AggregateStore store;

	private final OffsetStore offsets;

	private final OutboxRelay relay;

	private final Clock clock;

	private final Counter counted;

	private final Counter duplicates;

	private final Counter deadLetters;

	private final Counter fenced;

	private final Timer batches;

	UsageAggregator(AggregateStore store, OffsetStore offsets, OutboxRelay relay, MeteringProperties properties,
			Clock clock, MeterRegistry registry) {
		this.intake = new Intake(properties.aggregation().lateness(), properties.aggregation().maxFutureSkew());
		this.store = store;
		this.offsets = offsets;
		this.relay = relay;
		this.clock = clock;
		this.counted = events(registry, "counted");
		this.duplicates = events(registry, "duplicate");
		this.deadLetters = events(registry, "dead_letter");
		this.fenced = Counter.builder("tollgate.metering.batches.fenced")
			.description("Batches skipped because another consumer had already counted them")
			.register(registry);
		this.batches = Timer.builder("tollgate.metering.batch")
			.description("Time to classify and commit one consumed batch")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	private static Counter events(MeterRegistry registry, String result) {
		return Counter.builder("tollgate.metering.events")
			.description("Usage records consumed, by what became of them")
			.tag("result", result)
			.register(registry);
	}

	@KafkaListener(id = LISTENER_ID, topics = "#{T(io.tollgate.contract.Topics).USAGE.name()}", batch = "true",
			idIsGroup = false, concurrency = "${tollgate.metering.aggregation.concurrency:2}")
	void onBatch(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
		if (records.isEmpty()) {
			return;
		}
		Timer.Sample sample = Timer.start();
		Intake.Classified classified = this.intake.classify(records, this.clock.instant());
		switch (this.store.write(classified, this.clock.instant())) {
			case BatchTransaction.Committed<AggregateStore.Counts>(AggregateStore.Counts written) -> {
				this.counted.increment(written.counted());
				this.duplicates.increment(written.duplicates());
				this.deadLetters.increment(written.deadLetters());
				if (written.deltas() > 0 || written.deadLetters() > 0) {
					this.relay.wake();
				}
				if (written.deadLetters() > 0) {
					classified.deadLetters()
						.forEach((letter) -> logger.warn("Usage record {}-{}@{} sent to {}: {} ({})",
								letter.record().topic(), letter.record().partition(), letter.record().offset(),
								Topics.USAGE.deadLetter(), letter.reason(),
								io.tollgate.contract.InvalidEventException.summary(letter.violations())));
				}
				acknowledgment.acknowledge();
			}
			case BatchTransaction.Fenced<AggregateStore.Counts> fenced -> {
				this.fenced.increment();
				OffsetStore.seek(consumer, classified.ranges().getFirst().topic(), fenced.resume());
			}
		}
		sample.stop(this.batches);
	}

	/** Partitions resume where PostgreSQL says (see {@link OffsetStore}). */
	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.offsets.seekOnAssignment(assignments, callback);
	}

}
