package io.tollgate.gateway.usage;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.contract.CloudEventAttributes;
import io.tollgate.contract.CloudEventHeaders;
import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.EventValidator;
import io.tollgate.contract.InvalidEventException;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.contract.Violation;
import io.tollgate.gateway.config.GatewayProperties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Publishes the usage event of every proxied call to the usage topic, off the response
 * path, in order, without losing any while Kafka is down or the gateway restarts.
 *
 * <p>
 * Algorithm: {@link #publish} only offers the event to an in-memory queue and returns. A
 * spooler thread appends each queued event to the {@link UsageSpool}, a write-ahead log
 * on local disk. A sender thread reads the spool in append order, sends a batch with an
 * idempotent producer (acks=all), waits for the acknowledgements and only then moves the
 * spool's checkpoint. When a send fails, the sender rewinds to the checkpoint, discards
 * the producer (its state after a failure is not worth trusting), backs off, and sends
 * the same records again; so order is kept and the spool holds everything Kafka has not
 * acknowledged, including across restarts. Delivery to Kafka is at least once: a batch
 * that half succeeded before an outage is sent again, and consumers deduplicate by
 * {@code event_id}.
 *
 * <p>
 * Metrics ({@code tollgate.gateway.usage.events}, tag {@code result}): {@code published}
 * (acknowledged by Kafka), {@code spooled} (written while a backlog existed, so waiting
 * on disk), {@code replayed} (published from such a backlog), {@code failed} (dropped
 * because the queue or the spool was full or the disk failed; logged as errors).
 */
@Component
public class UsagePublisher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(UsagePublisher.class);

	private static final int BATCH = 500;

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final GatewayProperties.Usage settings;

	private final ProducerFactory<String, UsageEvent> producerFactory;

	private final EventCodec codec = EventCodec.shared();

	private final URI source;

	private final BlockingQueue<UsageEvent> queue = new ArrayBlockingQueue<>(65_536);

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition appended = this.lock.newCondition();

	private final AtomicBoolean backlog = new AtomicBoolean();

	/**
	 * Records before this position waited out an outage or a restart: publishing them
	 * counts as a replay. Only the sender thread touches it.
	 */
	private UsageSpool.Position backlogEnd = new UsageSpool.Position(0, 0);

	private final AtomicLong lastFailureLog = new AtomicLong();

	private final Counter published;

	private final Counter spooled;

	private final Counter replayed;

	private final Counter failed;

	private volatile boolean running;

	private @Nullable UsageSpool spool;

	private @Nullable Thread spooler;

	private @Nullable Thread sender;

	private @Nullable Producer<String, byte[]> producer;

	UsagePublisher(GatewayProperties properties, ProducerFactory<String, UsageEvent> producerFactory,
			MeterRegistry registry) {
		this.settings = properties.usage();
		this.producerFactory = producerFactory;
		Object configuredSource = producerFactory.getConfigurationProperties().get(ContractSerializer.SOURCE_CONFIG);
		this.source = URI.create((configuredSource != null) ? configuredSource.toString() : "/tollgate/gateway");
		this.published = counter(registry, "published");
		this.spooled = counter(registry, "spooled");
		this.replayed = counter(registry, "replayed");
		this.failed = counter(registry, "failed");
		registry.gauge("tollgate.gateway.usage.queue.size", this.queue, BlockingQueue::size);
		registry.gauge("tollgate.gateway.usage.spool.bytes", this, (publisher) -> {
			UsageSpool current = publisher.spool;
			return (current != null) ? current.diskBytes() : 0;
		});
	}

	private static Counter counter(MeterRegistry registry, String result) {
		return Counter.builder("tollgate.gateway.usage.events")
			.description("Usage events by what became of them")
			.tag("result", result)
			.register(registry);
	}

	/**
	 * Hands over a call's usage event; never blocks and never throws.
	 * @param event the event
	 */
	public void publish(UsageEvent event) {
		List<Violation> violations = EventValidator.validate(event);
		if (!violations.isEmpty()) {
			// Never spool what Kafka consumers would reject: it would only come back as a
			// dead letter. This is a gateway bug, so it is loud.
			this.failed.increment();
			logger.error("Usage event {} of tenant {} dropped, it breaks the contract: {}", event.eventId(),
					event.tenantId(), InvalidEventException.summary(violations));
			return;
		}
		if (!this.queue.offer(event)) {
			this.failed.increment();
			logFailure("Usage event {} of tenant {} dropped: the spool queue is full (the disk is not keeping up)",
					event.eventId(), event.tenantId());
		}
	}

	/**
	 * Says whether every event handed over so far has been acknowledged by Kafka.
	 * @return true when nothing waits
	 */
	public boolean isDrained() {
		UsageSpool current = this.spool;
		return this.queue.isEmpty() && current != null && current.isDrained();
	}

	@Override
	public void start() {
		UsageSpool opened = new UsageSpool(this.settings.spoolDirectory(), this.settings.spoolMaxSize().toBytes(),
				this.settings.spoolSegmentSize().toBytes());
		this.spool = opened;
		this.backlogEnd = opened.appendPosition();
		if (!opened.isDrained()) {
			this.backlog.set(true);
			logger.info("Usage spool in {} holds events not yet published; replaying them",
					this.settings.spoolDirectory().toAbsolutePath());
		}
		this.running = true;
		this.spooler = Thread.ofPlatform().name("usage-spooler").daemon().start(this::spoolLoop);
		this.sender = Thread.ofPlatform().name("usage-sender").daemon().start(this::sendLoop);
	}

	@Override
	public void stop() {
		this.running = false;
		join(this.spooler);
		signal();
		Thread sending = this.sender;
		join(sending);
		if (sending != null && sending.isAlive()) {
			// Blocked in a send to an unreachable broker: interrupt it, so that no old
			// sender
			// is still publishing when a new one starts from the same spool.
			sending.interrupt();
			join(sending);
		}
		UsageSpool current = this.spool;
		if (current != null) {
			try {
				current.close();
			}
			catch (IOException ex) {
				logger.warn("Closing the usage spool failed: {}", ex.toString());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop after the web server has finished its in-flight calls, whose events come here.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	private void spoolLoop() {
		UsageSpool target = requireSpool();
		List<UsageEvent> drained = new ArrayList<>(BATCH);
		while (this.running || !this.queue.isEmpty()) {
			try {
				UsageEvent first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				drained.add(first);
				this.queue.drainTo(drained, BATCH - 1);
				for (UsageEvent event : drained) {
					append(target, event);
				}
				drained.clear();
				signal();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void append(UsageSpool target, UsageEvent event) {
		try {
			if (target.append(
					new SpoolRecord(event.tenantId(), event.eventId(), event.completedAt(), this.codec.encode(event))
						.encode())) {
				this.spooled.increment();
			}
			else {
				this.failed.increment();
				logFailure(
						"Usage event {} of tenant {} dropped: the spool is full ({}); Kafka has been unreachable "
								+ "for long. Raise tollgate.gateway.usage.spool-max-size or restore Kafka.",
						event.eventId(), event.tenantId(), this.settings.spoolMaxSize());
			}
		}
		catch (IOException | RuntimeException ex) {
			this.failed.increment();
			logFailure("Usage event {} of tenant {} dropped: writing the spool failed: {}", event.eventId(),
					event.tenantId(), ex.toString());
		}
	}

	private void sendLoop() {
		UsageSpool source = requireSpool();
		long backoffMillis = 200;
		long stopDeadline = Long.MAX_VALUE;
		try {
			while (true) {
				if (!this.running && stopDeadline == Long.MAX_VALUE) {
					// Give a healthy Kafka a moment to take what is left; the rest waits
					// on disk.
					stopDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				}
				if (stopDeadline != Long.MAX_VALUE && (source.isDrained() || System.nanoTime() > stopDeadline)) {
					return;
				}
				List<UsageSpool.Entry> entries = source.read(BATCH);
				if (entries.isEmpty()) {
					if (this.backlog.compareAndSet(true, false)) {
						logger.info("Usage spool drained: every usage event is published");
					}
					awaitAppend();
					continue;
				}
				try {
					send(entries);
					acknowledge(source, entries, entries.size());
					backoffMillis = 200;
				}
				catch (BatchFailure failure) {
					acknowledge(source, entries, failure.acknowledged);
					source.rewind();
					closeProducer();
					this.backlogEnd = source.appendPosition();
					if (!this.backlog.getAndSet(true)) {
						logger.warn(
								"Kafka is not accepting usage events ({}); keeping them in the spool in {} and "
										+ "retrying",
								failure.getMessage(), this.settings.spoolDirectory().toAbsolutePath());
					}
					pause(backoffMillis);
					backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException | RuntimeException ex) {
			logger.error("The usage sender stopped: {}. Events stay in the spool until the next start.", ex.toString(),
					ex);
		}
		finally {
			closeProducer();
		}
	}

	private void acknowledge(UsageSpool source, List<UsageSpool.Entry> entries, int count) throws IOException {
		if (count == 0) {
			return;
		}
		List<UsageSpool.Entry> delivered = entries.subList(0, count);
		source.acknowledge(delivered.getLast().next());
		this.published.increment(count);
		this.replayed
			.increment(delivered.stream().filter((entry) -> entry.next().compareTo(this.backlogEnd) <= 0).count());
	}

	/**
	 * Sends a batch and waits for every acknowledgement. Stops sending at the first
	 * record that fails at once (no metadata: the broker is gone), so a batch never
	 * straddles an outage's start; on a failure, says how many records from the batch's
	 * start were acknowledged, so only the rest is sent again.
	 */
	private void send(List<UsageSpool.Entry> entries) throws BatchFailure {
		Producer<String, byte[]> current = this.producer;
		if (current == null) {
			// The spool holds each event's JSON as validated at publish(): it is sent as
			// it is,
			// with the CloudEvents headers built from the record, not parsed and encoded
			// again.
			current = new KafkaProducer<>(this.producerFactory.getConfigurationProperties(), new StringSerializer(),
					new ByteArraySerializer());
			this.producer = current;
		}
		List<Future<?>> acknowledgements = new ArrayList<>(entries.size());
		try {
			for (UsageSpool.Entry entry : entries) {
				SpoolRecord record = SpoolRecord.decode(entry.payload());
				if (record == null) {
					// Unreadable (a spool written by another version, say): sending it
					// again
					// would never succeed, so it is skipped, counted and logged.
					this.failed.increment();
					logger.error("Skipping an unreadable usage spool record of {} bytes", entry.payload().length);
					acknowledgements.add(CompletableFuture.completedFuture(null));
					continue;
				}
				ProducerRecord<String, byte[]> message = new ProducerRecord<>(Topics.USAGE.name(), record.tenantId(),
						record.json());
				CloudEventHeaders.write(new CloudEventAttributes(CloudEventHeaders.SPEC_VERSION_1_0, record.eventId(),
						this.source, Topics.USAGE.cloudEventType(), record.time(), record.tenantId(),
						Topics.USAGE.dataSchema(), CloudEventHeaders.JSON), message.headers());
				Future<?> acknowledgement = current.send(message);
				acknowledgements.add(acknowledgement);
				if (acknowledgement.isDone()) {
					acknowledgement.get();
				}
			}
			current.flush();
		}
		catch (Exception ex) {
			throw new BatchFailure(acknowledgedPrefix(acknowledgements), ex);
		}
		int acknowledged = acknowledgedPrefix(acknowledgements);
		if (acknowledged < entries.size()) {
			throw new BatchFailure(acknowledged, failureOf(acknowledgements.get(acknowledged)));
		}
	}

	private static int acknowledgedPrefix(List<Future<?>> acknowledgements) {
		int count = 0;
		for (Future<?> acknowledgement : acknowledgements) {
			if (failureOf(acknowledgement) != null) {
				break;
			}
			count++;
		}
		return count;
	}

	private static @Nullable Exception failureOf(Future<?> acknowledgement) {
		try {
			acknowledgement.get();
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ex;
		}
		catch (Exception ex) {
			return ex;
		}
	}

	/**
	 * A batch that Kafka did not wholly acknowledge.
	 */
	private static final class BatchFailure extends Exception {

		private final int acknowledged;

		BatchFailure(int acknowledged, @Nullable Exception cause) {
			super((cause != null) ? cause.toString() : "not acknowledged", cause, false, false);
			this.acknowledged = acknowledged;
		}

	}

	private void awaitAppend() throws InterruptedException {
		this.lock.lock();
		try {
			this.appended.await(200, TimeUnit.MILLISECONDS);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void signal() {
		this.lock.lock();
		try {
			this.appended.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void pause(long millis) {
		this.lock.lock();
		try {
			// Woken early only by a stop, not by appends: the broker is what we wait for.
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
			while (this.running && System.nanoTime() < deadline) {
				this.appended.await(Math.min(50, millis), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void closeProducer() {
		Producer<String, byte[]> current = this.producer;
		this.producer = null;
		if (current != null) {
			current.close(Duration.ZERO);
		}
	}

	private UsageSpool requireSpool() {
		UsageSpool current = this.spool;
		if (current == null) {
			throw new IllegalStateException("The usage publisher has not been started");
		}
		return current;
	}

	private void logFailure(String message, Object... arguments) {
		long now = System.nanoTime();
		long last = this.lastFailureLog.get();
		// At most one such error a second: a full disk must not also flood the log.
		if (now - last > TimeUnit.SECONDS.toNanos(1) && this.lastFailureLog.compareAndSet(last, now)) {
			logger.error(message, arguments);
		}
	}

	private static void join(@Nullable Thread thread) {
		if (thread != null) {
			try {
				thread.join(Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
