package io.tollgate.testsupport.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a benchmark's records: a backlog as fast as Kafka takes it, or an open-loop
 * stream at a fixed rate (the schedule does not wait for the service, so whatever the
 * service cannot keep up with shows as lag, never as a lower offered rate).
 *
 * <p>
 * The producer is tuned for throughput (large batches, a short linger) with the services'
 * durability ({@code acks=all}, idempotent), so that it is not the bottleneck;
 * compression is a parameter because it moves CPU from the broker's disk and network to
 * both clients.
 */
public final class Load implements AutoCloseable {

	private final RecordSource source;

	private final KafkaProducer<byte[], byte[]> producer;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicReference<@Nullable Exception> firstFailure = new AtomicReference<>();

	private final Callback callback = this::completed;

	/**
	 * Creates a producer.
	 * @param source makes the records
	 * @param bootstrapServers the broker
	 * @param compression the producer's compression type, e.g. {@code none}, {@code lz4}
	 * @param clientId the producer's client id
	 */
	public Load(RecordSource source, String bootstrapServers, String compression, String clientId) {
		this.source = source;
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 10,
						ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.BUFFER_MEMORY_CONFIG, 268_435_456L,
						ProducerConfig.COMPRESSION_TYPE_CONFIG, compression, ProducerConfig.CLIENT_ID_CONFIG, clientId),
				new ByteArraySerializer(), new ByteArraySerializer());
	}

	/**
	 * Records handed to the producer so far.
	 * @return the count
	 */
	public long sent() {
		return this.sent.get();
	}

	/**
	 * Records Kafka has acknowledged so far.
	 * @return the count
	 */
	public long acknowledged() {
		return this.acknowledged.get();
	}

	/**
	 * Publishes a backlog as fast as Kafka takes it and waits for every acknowledgement.
	 * @param count how many records
	 * @param timeOf the time of record {@code i}, epoch milliseconds
	 * @return how long it took
	 */
	public Duration backlog(long count, LongUnaryOperator timeOf) {
		long start = System.nanoTime();
		for (long i = 0; i < count; i++) {
			send(timeOf.applyAsLong(i));
		}
		this.producer.flush();
		checkFailures();
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Starts publishing at a fixed rate on a thread of its own, records for the time they
	 * are sent.
	 * @param rate records per second
	 * @param duration how long
	 * @return the thread; join it to wait for the end of the schedule
	 */
	public Thread openLoop(int rate, Duration duration) {
		return Thread.ofPlatform().name("load-" + rate).start(() -> {
			long total = rate * duration.toSeconds();
			long start = System.nanoTime();
			long first = this.sent.get();
			long done = 0;
			while (done < total) {
				long elapsed = System.nanoTime() - start;
				long due = Math.min(total, (long) (rate * (elapsed / 1e9)));
				while (done < due) {
					send(System.currentTimeMillis());
					done++;
				}
				long nextTick = start + (long) ((done + 1) * 1e9 / rate);
				long wait = Math.min(nextTick - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
			}
			this.producer.flush();
			if (this.sent.get() - first != total) {
				throw new IllegalStateException("sent " + (this.sent.get() - first) + " of " + total);
			}
		});
	}

	/**
	 * Publishes at a fixed rate while the caller follows the run, then waits for the end
	 * of the schedule and fails if Kafka refused any record.
	 * @param <T> what the caller's following returns
	 * @param rate records per second
	 * @param duration how long
	 * @param follow follows the run, given whether the schedule is still running
	 * @return what {@code follow} returned
	 * @throws InterruptedException if interrupted while waiting for the schedule
	 */
	public <T> T openLoop(int rate, Duration duration, Function<BooleanSupplier, T> follow)
			throws InterruptedException {
		Thread schedule = openLoop(rate, duration);
		T result = follow.apply(schedule::isAlive);
		schedule.join();
		checkFailures();
		return result;
	}

	/**
	 * Fails if Kafka refused any record so far.
	 * @throws IllegalStateException with the first failure as its cause
	 */
	public void checkFailures() {
		Exception failure = this.firstFailure.get();
		if (failure != null) {
			throw new IllegalStateException(this.failed.get() + " records were not acknowledged", failure);
		}
	}

	private void send(long atMillis) {
		this.producer.send(this.source.next(atMillis), this.callback);
		this.sent.incrementAndGet();
	}

	private void completed(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
		if (exception != null) {
			this.failed.incrementAndGet();
			this.firstFailure.compareAndSet(null, exception);
		}
		else {
			this.acknowledged.incrementAndGet();
		}
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(30));
	}

}
