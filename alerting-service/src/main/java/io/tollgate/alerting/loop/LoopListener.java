package io.tollgate.alerting.loop;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.alerting.delivery.DeliveryWorker;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.UsageEvent;
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

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Consumes the usage topic in batches for the runaway-loop detectors ({@link LoopStore}),
 * exactly once: offsets live in PostgreSQL with the detectors' state. An invalid usage
 * record is skipped and counted, not dead-lettered: metering, which owns the usage
 * topic's dead letters, already sends it there with its reasons. Blocking in
 * {@link BatchTransaction} is deliberate: this runs on the listener's own thread.
 */
@Component
@ConditionalOnBooleanProperty(name = "tollgate.alerting.loops.enabled", matchIfMissing = true)
class LoopListener implements ConsumerSeekAware {

	static final String LISTENER_ID = "alerting-loops";

	private static final Logger logger = LoggerFactory.getLogger(LoopListener.class);

	private final ContractDeserializer<UsageEvent> deserializer = new ContractDeserializer<>(UsageEvent.class);

	private final LoopStore store;

	private final OffsetStore offsets;

	private final OutboxRelay relay;

	private final DeliveryWorker deliveries;

	private final Counter detections;

	private final Counter invalid;

	LoopListener(LoopStore store, OffsetStore offsets, OutboxRelay relay, DeliveryWorker deliveries,
			MeterRegistry registry) {
		this.store = store;
		this.offsets = offsets;
		this.relay = relay;
		this.deliveries = deliveries;
		this.detections = Counter.builder("tollgate.alerting.loops.detections")
			.description("Runaway loops detected")
			.register(registry);
		this.invalid = Counter.builder("tollgate.alerting.loops.invalid_records")
			.description("Usage records skipped as invalid (metering dead-letters them)")
			.register(registry);
	}

	@KafkaListener(id = LISTENER_ID, topics = "#{T(io.tollgate.contract.Topics).USAGE.name()}", batch = "true",
			idIsGroup = false, concurrency = "${tollgate.alerting.loops.concurrency:2}")
	void onBatch(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
		if (records.isEmpty()) {
			return;
		}
		ConsumedBatch<UsageEvent> batch = ConsumedBatch.decode(records, this.deserializer);
		if (!batch.deadLetters().isEmpty()) {
			this.invalid.increment(batch.deadLetters().size());
			logger.debug("{} invalid usage records skipped (metering dead-letters them)", batch.deadLetters().size());
		}
		List<PartitionRange> ranges = batch.ranges();
		switch (this.store.write(ranges, batch.events())) {
			case BatchTransaction.Committed<LoopStore.Written>(LoopStore.Written written) -> {
				this.detections.increment(written.detections());
				if (written.pauses() > 0) {
					this.relay.wake();
				}
				if (written.deliveries() > 0) {
					this.deliveries.wake();
				}
				acknowledgment.acknowledge();
			}
			case BatchTransaction.Fenced<LoopStore.Written> fenced ->
				OffsetStore.seek(consumer, ranges.getFirst().topic(), fenced.resume());
		}
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.offsets.seekOnAssignment(assignments, callback);
	}

}
