package io.tollgate.support.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.tollgate.support.outbox.Outbox;
import io.tollgate.support.outbox.OutboxRecord;
import reactor.core.publisher.Mono;

import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Commits one consumed Kafka batch exactly once, in one PostgreSQL transaction, for every
 * service that consumes a topic into its database (metering, billing, alerting).
 *
 * <p>
 * Algorithm, per batch:
 * <ol>
 * <li>{@link OffsetStore#lockAndFence Lock} the partitions' offset rows. If PostgreSQL
 * already holds a later offset than the batch's first for any partition, another consumer
 * (the partition's new owner after a rebalance, or this one before a crash) has committed
 * these records: the batch is {@link Fenced fenced}, nothing is written, and the caller
 * seeks to the returned offsets.</li>
 * <li>Run the service's {@link Writer}: it deduplicates by the records' ids and writes
 * its rows, and returns the records to publish (results and dead letters).</li>
 * <li>Append those to the {@link Outbox} and {@link OffsetStore#advance advance} the
 * offsets.</li>
 * <li>Commit: all of it or none of it.</li>
 * </ol>
 * Blocking is deliberate: it runs on the Kafka listener's own thread, which must not poll
 * the next batch before this one is committed, and never on an event loop.
 */
public final class BatchTransaction {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final TransactionalOperator transactions;

	private final OffsetStore offsets;

	private final Outbox outbox;

	/**
	 * Creates the batch transaction over the service's database.
	 * @param transactionManager the database's transaction manager
	 * @param offsets the consumer group's offsets
	 * @param outbox the service's outbox
	 */
	public BatchTransaction(ReactiveTransactionManager transactionManager, OffsetStore offsets, Outbox outbox) {
		this.transactions = TransactionalOperator.create(transactionManager);
		this.offsets = offsets;
		this.outbox = outbox;
	}

	/**
	 * Commits a batch, or reports it fenced.
	 * @param <R> what the writer reports
	 * @param ranges the offsets the batch covers (one topic)
	 * @param writer writes the batch's rows inside the transaction
	 * @return the writer's result once committed, or where to resume when fenced
	 */
	public <R> Result<R> commit(List<PartitionRange> ranges, Writer<R> writer) {
		Mono<Result<R>> work = this.offsets.lockAndFence(ranges)
			.flatMap((fenced) -> fenced.isPresent() ? Mono.error(new FencedException(fenced.get()))
					: writer.get()
						.flatMap((written) -> this.outbox.append(written.records())
							.then(this.offsets.advance(ranges))
							.thenReturn(new Committed<>(written.result()))));
		try {
			Result<R> outcome = work.as(this.transactions::transactional).block(TIMEOUT);
			if (outcome == null) {
				throw new IllegalStateException("the batch transaction completed without a result");
			}
			return outcome;
		}
		catch (FencedException ex) {
			return new Fenced<>(ex.resume);
		}
	}

	/**
	 * A service's part of a batch: its rows, in the open transaction.
	 *
	 * @param <R> what it reports
	 */
	@FunctionalInterface
	public interface Writer<R> extends Supplier<Mono<Written<R>>> {

	}

	/**
	 * What a writer wrote.
	 *
	 * @param <R> the type of its report
	 * @param result its report (counts, for metrics and logs)
	 * @param records what the outbox publishes once the batch commits, in order
	 */
	public record Written<R>(R result, List<OutboxRecord> records) {

		public Written {
			records = List.copyOf(records);
		}

	}

	/**
	 * What became of a batch.
	 *
	 * @param <R> what the writer reports
	 */
	public sealed interface Result<R> {

	}

	/**
	 * The batch was committed.
	 *
	 * @param <R> what the writer reports
	 * @param result the writer's report
	 */
	public record Committed<R>(R result) implements Result<R> {

	}

	/**
	 * Another consumer had already committed part of the batch; nothing was written.
	 *
	 * @param <R> what the writer would have reported
	 * @param resume the offset to resume from, per partition of the batch
	 */
	public record Fenced<R>(Map<Integer, Long> resume) implements Result<R> {

	}

	private static final class FencedException extends RuntimeException {

		private final Map<Integer, Long> resume;

		FencedException(Map<Integer, Long> resume) {
			super("batch fenced: already committed by another consumer", null, false, false);
			this.resume = resume;
		}

	}

}
