package io.tollgate.metering.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes the benchmark's events to the usage topic: a backlog as fast as Kafka takes
 * it, or an open-loop stream at a fixed rate (the schedule does not wait for metering, so
 * whatever metering cannot keep up with shows as lag, never as a lower offered rate).
 *
 * <p>
 * The producer is tuned for throughput (large batches, a short linger) with the gateway's
 * durability ({@code acks=all}, idempotent), so that it is not the bottleneck;
 * compression is a parameter because it moves CPU from the broker's disk and network to
 * both clients.
 */
final class Load implements AutoCloseable {

	private final EventMix mix;

	private final KafkaProducer<byte[], byte[]> producer;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicReference<@Nullable Exception> firstFailure = new AtomicReference<>();

	private final Callback callback = this::completed;

	Load(EventMix mix, String bootstrapServers, String compression) {
		this.mix = mix;
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
				ProducerConfig.BUFFER_MEMORY_CONFIG, 268_435_456L, ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
				ProducerConfig.CLIENT_ID_CONFIG, "metering-benchmark-load"), new ByteArraySerializer(),
				new ByteArraySerializer());
	}

	/** Records handed to the producer so far. */
	long sent() {
		return this.sent.get();
	}

	/** Records Kafka has acknowledged so far. */
	long acknowledged() {
		return this.acknowledged.get();
	}

	/**
	 * Publishes a backlog as fast as Kafka takes it and waits for every acknowledgement.
	 * @param count how many events
	 * @param completedAt the {@code completed_at} of event {@code i}, epoch milliseconds
	 * @return how long it took
	 */
	Duration backlog(long count, LongUnaryOperator completedAt) {
		long start = System.nanoTime();
		for (long i = 0; i < count; i++) {
			send(completedAt.applyAsLong(i));
		}
		this.producer.flush();
		checkFailures();
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Starts publishing at a fixed rate on a thread of its own, events completing at the
	 * time they are sent.
	 * @param rate events per second
	 * @param duration how long
	 * @return the thread; join it to wait for the end of the schedule
	 */
	Thread openLoop(int rate, Duration duration) {
		Thread thread = Thread.ofPlatform().name("load-" + rate).start(() -> {
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
		return thread;
	}

	void checkFailures() {
		Exception failure = this.firstFailure.get();
		if (failure != null) {
			throw new IllegalStateException(this.failed.get() + " records were not acknowledged", failure);
		}
	}

	private void send(long completedAtMillis) {
		this.producer.send(this.mix.next(completedAtMillis), this.callback);
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
