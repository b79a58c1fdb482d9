package io.tollgate.gateway.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
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

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.contract.CloudEventAttributes;
import io.tollgate.contract.CloudEventHeaders;
import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.InvalidEventException;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.support.lifecycle.BackgroundLoop;
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
 * spooler loop writes each queued event through the contract's {@link ContractSerializer}
 * (which refuses an event that breaks the contract) and appends the JSON to the
 * {@link UsageSpool}, a write-ahead log on local disk. A sender loop reads the spool in
 * append order, sends a batch with an idempotent producer (acks=all) with the CloudEvents
 * headers of {@link CloudEventAttributes}, waits for the acknowledgements and only then
 * moves the spool's checkpoint. When a send fails, the sender rewinds to the checkpoint,
 * discards the producer (its state after a failure is not worth trusting) and fails the
 * round, so that its {@link BackgroundLoop} backs off (doubling from 200 ms to 10 s) and
 * sends the same records again; so order is kept and the spool holds everything Kafka has
 * not acknowledged, including across restarts. Delivery to Kafka is at least once: a
 * batch that half succeeded before an outage is sent again, and consumers deduplicate by
 * {@code event_id}.
 *
 * <p>
 * Metrics ({@code tollgate.gateway.usage.events}, tag {@code result}): {@code published}
 * (acknowledged by Kafka), {@code spooled} (written while a backlog existed, so waiting
 * on disk), {@code replayed} (published from such a backlog), {@code failed} (dropped
 * because the queue or the spool was full, the disk failed or the event broke the
 * contract; logged as errors).
 */
@Component
public class UsagePublisher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(UsagePublisher.class);

	private static final int BATCH = 500;

	private static final Duration SENDER_INTERVAL = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	// What a healthy Kafka gets at shutdown to take the backlog; the rest waits on disk.
	private static final Duration STOP_DRAIN = Duration.ofSeconds(5);

	private final GatewayProperties.Usage settings;

	private final ProducerFactory<String, UsageEvent> producerFactory;

	private final ContractSerializer<UsageEvent> serializer = new ContractSerializer<>();

	private final BlockingQueue<UsageEvent> queue = new ArrayBlockingQueue<>(65_536);

	private final AtomicBoolean backlog = new AtomicBoolean();

	/**
	 * Records before this position waited out an outage or a restart: publishing them
	 * counts as a replay. Only the sender touches it.
	 */
	private UsageSpool.Position backlogEnd = new UsageSpool.Position(0, 0);

	private final AtomicLong lastFailureLog = new AtomicLong();

	private final Counter published;

	private final Counter spooled;

	private final Counter replayed;

	private final Counter failed;

	private volatile boolean running;

	private @Nullable UsageSpool spool;

	private @Nullable BackgroundLoop spooler;

	private @Nullable BackgroundLoop sender;

	private @Nullable Producer<String, byte[]> producer;

	UsagePublisher(GatewayProperties properties, ProducerFactory<String, UsageEvent> producerFactory,
			MeterRegistry registry) {
		this.settings = properties.usage();
		this.producerFactory = producerFactory;
		this.serializer.configure(producerFactory.getConfigurationProperties(), false);
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
		if (!this.queue.offer(event)) {
			this.failed.increment();
			logFailure("Usage event {} of tenant {} dropped: the spool queue is full (the disk is not keeping up)",
					event.eventId(), event.tenantId());
			return;
		}
		BackgroundLoop current = this.spooler;
		if (current != null) {
			current.wake();
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
		BackgroundLoop.Failures log = (failedRounds, retryIn, failure) -> logger
			.error("The usage spooler failed ({}); retrying in {}", failure.toString(), retryIn, failure);
		this.spooler = new BackgroundLoop("usage-spooler", SENDER_INTERVAL, MAX_BACKOFF, false, this::spoolRound, log);
		this.sender = new BackgroundLoop("usage-sender", SENDER_INTERVAL, MAX_BACKOFF, false, this::sendRound,
				new SendFailures());
		this.running = true;
		this.spooler.start();
		this.sender.start();
	}

	@Override
	public void stop() {
		this.running = false;
		UsageSpool current = this.spool;
		BackgroundLoop spooling = this.spooler;
		BackgroundLoop sending = this.sender;
		if (current == null || spooling == null || sending == null) {
			return;
		}
		spooling.stop();
		sending.stop();
		// What the web server handed over before it stopped goes to disk, and Kafka gets
		// a moment to take it; both on this thread, now that the loops are done.
		while (!this.queue.isEmpty()) {
			spoolRound();
		}
		long deadline = System.nanoTime() + STOP_DRAIN.toNanos();
		while (!current.isDrained() && System.nanoTime() < deadline) {
			try {
				sendRound();
			}
			catch (RuntimeException ex) {
				break;
			}
		}
		closeProducer();
		try {
			current.close();
		}
		catch (IOException ex) {
			logger.warn("Closing the usage spool failed: {}", ex.toString());
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

	/** Moves what the queue holds to the spool; says whether more is queued. */
	private boolean spoolRound() {
		UsageSpool target = requireSpool();
		List<UsageEvent> drained = new ArrayList<>(BATCH);
		this.queue.drainTo(drained, BATCH);
		for (UsageEvent event : drained) {
			append(target, event);
		}
		BackgroundLoop sending = this.sender;
		if (!drained.isEmpty() && sending != null) {
			sending.wake();
		}
		return !this.queue.isEmpty();
	}

	private void append(UsageSpool target, UsageEvent event) {
		byte[] json;
		try {
			json = this.serializer.serialize(Topics.USAGE.name(), event);
		}
		catch (InvalidEventException ex) {
			// Never spool what Kafka consumers would reject: it would only come back as a
			// dead letter. This is a gateway bug, so it is loud.
			this.failed.increment();
			logger.error("Usage event {} of tenant {} dropped, it breaks the contract: {}", event.eventId(),
					event.tenantId(), InvalidEventException.summary(ex.getViolations()));
			return;
		}
		try {
			if (target.append(new SpoolRecord(event.tenantId(), event.eventId(), event.completedAt(), json).encode())) {
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

	/**
	 * Sends the next batch from the spool; says whether there may be more. A batch that
	 * Kafka did not wholly take fails the round, after the checkpoint has moved past what
	 * was acknowledged and the rest was rewound.
	 */
	private boolean sendRound() {
		UsageSpool source = requireSpool();
		try {
			List<UsageSpool.Entry> entries = source.read(BATCH);
			if (entries.isEmpty()) {
				if (this.backlog.compareAndSet(true, false)) {
					logger.info("Usage spool drained: every usage event is published");
				}
				return false;
			}
			try {
				send(entries);
				acknowledge(source, entries, entries.size());
				return true;
			}
			catch (BatchFailure failure) {
				acknowledge(source, entries, failure.acknowledged);
				source.rewind();
				closeProducer();
				this.backlogEnd = source.appendPosition();
				if (!this.backlog.getAndSet(true)) {
					logger.warn(
							"Kafka is not accepting usage events ({}); keeping them in the spool in {} and retrying",
							failure.getMessage(), this.settings.spoolDirectory().toAbsolutePath());
				}
				throw new IllegalStateException("usage batch not acknowledged", failure);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The sender's failed rounds: an outage was logged once when it began. */
	private final class SendFailures implements BackgroundLoop.Failures {

		@Override
		public void failed(int failedRounds, Duration retryIn, RuntimeException failure) {
			if (!(failure.getCause() instanceof BatchFailure)) {
				logger.error("Reading the usage spool failed ({}); retrying in {}. Events stay in the spool.",
						failure.toString(), retryIn, failure);
			}
		}

		@Override
		public void recovered(int failedRounds) {
			logger.info("Kafka accepts usage events again after {} failed attempts", failedRounds);
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
			// The spool holds each event's JSON as the contract's serializer wrote it: it
			// is sent as it is, with the CloudEvents headers built from the spool record,
			// not parsed and encoded again.
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
				CloudEventHeaders.write(CloudEventAttributes.of(Topics.USAGE, record.eventId(), record.time(),
						record.tenantId(), this.serializer.source()), message.headers());
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

}
