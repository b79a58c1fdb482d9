package io.tollgate.support.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.support.lifecycle.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Publishes the outbox to Kafka.
 *
 * <p>
 * Algorithm: one thread ({@link BackgroundLoop}), woken after every aggregation commit
 * and at least every poll interval, backing off up to ten seconds while rounds fail. Each
 * round, in one transaction, it locks the oldest rows ({@code FOR UPDATE SKIP LOCKED}, so
 * relays of several instances take disjoint rows), sends them with the idempotent
 * producer, waits for every acknowledgement, then deletes them. A crash between
 * acknowledgement and commit publishes the rows again on the next round: consumers
 * deduplicate by the records' ids (delta ids are deterministic), so the outbox gives
 * at-least-once publication of exactly-once results. While Kafka is down the rows wait;
 * aggregation does not. A round blocks its own thread until its transaction ends, so
 * rounds never overlap; no event loop is involved.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final KafkaTemplate<byte[], byte[]> kafka;

	private final int batchSize;

	private final BackgroundLoop loop;

	private final Counter published;

	private final Counter failures;

	private final AtomicLong oldestPendingMillis = new AtomicLong();

	/**
	 * Creates the relay; it starts with the application context.
	 * @param db the service's database (holding the {@code outbox} table, see
	 * {@link Outbox#Outbox})
	 * @param transactionManager its transaction manager
	 * @param kafka a template with byte-array serializers and an idempotent producer
	 * @param batchSize most records one round publishes
	 * @param pollInterval how often the relay looks without being woken
	 * @param registry where the relay's metrics go
	 */
	public OutboxRelay(DatabaseClient db, ReactiveTransactionManager transactionManager,
			KafkaTemplate<byte[], byte[]> kafka, int batchSize, Duration pollInterval, MeterRegistry registry) {
		this.db = db;
		this.transactions = TransactionalOperator.create(transactionManager);
		this.kafka = kafka;
		this.batchSize = batchSize;
		this.published = Counter.builder("tollgate.outbox.published")
			.description("Outbox records published to Kafka (deltas and dead letters)")
			.register(registry);
		this.failures = Counter.builder("tollgate.outbox.failures")
			.description("Outbox relay rounds that failed (Kafka or PostgreSQL unreachable); the rows wait")
			.register(registry);
		Gauge.builder("tollgate.outbox.oldest.age", this.oldestPendingMillis, AtomicLong::get)
			.description("Age of the oldest record the relay last saw waiting, in milliseconds")
			.baseUnit("milliseconds")
			.register(registry);
		this.loop = new BackgroundLoop("outbox-relay", pollInterval, MAX_BACKOFF, false, this::drain,
				new BackgroundLoop.Failures() {

					@Override
					public void failed(int failedRounds, Duration retryIn, RuntimeException failure) {
						OutboxRelay.this.failures.increment();
						if (failedRounds == 1 || failedRounds % 30 == 0) {
							logger.warn("Outbox relay cannot publish ({} failed rounds so far); records wait in "
									+ "PostgreSQL and are retried: {}", failedRounds, failure.toString());
						}
					}

					@Override
					public void recovered(int failedRounds) {
						logger.info("Outbox relay recovered after {} failed rounds", failedRounds);
					}

				});
	}

	/** Asks the relay to look at the outbox now (after a commit that wrote to it). */
	public void wake() {
		this.loop.wake();
	}

	@Override
	public void start() {
		this.loop.start();
	}

	@Override
	public void stop() {
		this.loop.stop();
	}

	@Override
	public boolean isRunning() {
		return this.loop.isRunning();
	}

	/**
	 * Stops after the Kafka listeners (which stop first at a higher phase), so their last
	 * commits get published.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1000;
	}

	/**
	 * Publishes until the outbox holds less than a batch. The whole drain is one round of
	 * the loop, so that rounds which publish a batch and then fail still back off.
	 */
	private boolean drain() {
		int relayed;
		do {
			relayed = relayOnce();
		}
		while (relayed == this.batchSize && this.loop.isRunning());
		return false;
	}

	/** One round; returns how many records it published. */
	int relayOnce() {
		Integer count = this.db
			// The age is measured by the database that stamped created_at: one clock, so
			// skew between hosts cannot show in the metric.
			.sql("SELECT id, topic, record_key, record_value, record_headers, "
					+ "(extract(epoch FROM now() - created_at) * 1000)::bigint AS age_millis FROM outbox "
					+ "ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")
			.bind("limit", this.batchSize)
			.map((row) -> new Pending(row.get("id", Long.class),
					new OutboxRecord(row.get("topic", String.class), row.get("record_key", byte[].class),
							row.get("record_value", byte[].class),
							OutboxRecord.decodeHeaders(row.get("record_headers", byte[].class))),
					row.get("age_millis", Long.class)))
			.all()
			.collectList()
			.flatMap(this::publishAndDelete)
			.as(this.transactions::transactional)
			.block(Duration.ofSeconds(60));
		return (count != null) ? count : 0;
	}

	private Mono<Integer> publishAndDelete(List<Pending> pending) {
		if (pending.isEmpty()) {
			this.oldestPendingMillis.set(0);
			return Mono.just(0);
		}
		this.oldestPendingMillis.set(Math.max(0, pending.getFirst().ageMillis()));
		CompletableFuture<?>[] sends = new CompletableFuture<?>[pending.size()];
		Long[] ids = new Long[pending.size()];
		for (int i = 0; i < sends.length; i++) {
			sends[i] = this.kafka.send(pending.get(i).record().toProducerRecord());
			ids[i] = pending.get(i).id();
		}
		return Mono.fromFuture(CompletableFuture.allOf(sends))
			.then(this.db.sql("DELETE FROM outbox WHERE id = ANY(:ids)").bind("ids", ids).fetch().rowsUpdated())
			.map((deleted) -> {
				this.published.increment(sends.length);
				return sends.length;
			});
	}

	private record Pending(Long id, OutboxRecord record, long ageMillis) {

	}

}
