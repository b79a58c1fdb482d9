package io.tollgate.gateway.keycontrol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.Topics;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.support.lifecycle.BackgroundLoop;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * The pause and resume decisions in force, as the key-controls topic holds them, for
 * {@link PausedKeyFilter} to refuse paused keys.
 *
 * <p>
 * Algorithm: a plain consumer <em>without</em> a consumer group is assigned every
 * partition of {@link Topics#KEY_CONTROLS} and reads it from the beginning, so that every
 * gateway instance holds every decision (a group would share the partitions out between
 * the instances, and each would know only some keys). The topic is compacted and keyed by
 * api key id ({@code tenant_id/*} for every key of a tenant), so its latest record per
 * key is that key's state: a pause is kept in a map by record key, and a resume or a
 * tombstone removes it. A {@link BackgroundLoop} polls with a short timeout (the poll
 * returns as soon as a record arrives), so a decision is in force well within a second of
 * its publication. Nothing is committed: every start reads the topic again, which is what
 * a compacted topic is for.
 *
 * <p>
 * Caught up: when partitions are first assigned, their end offsets are read; the instance
 * is caught up once its position on every one has reached them. Until then it does not
 * know every pause, so {@link KeyControlsHealthIndicator} keeps readiness out of service.
 * A topic that does not exist counts as caught up at once (nothing can have been paused;
 * alerting owns the topic and creates it): the gateway must not hang on it, so the loop
 * keeps looking for the topic's partitions, every {@code topic-check-interval}, and reads
 * new ones from the beginning as they appear. Once caught up, an instance stays ready
 * through a Kafka outage and goes on refusing the keys it knows to be paused.
 *
 * <p>
 * A record that cannot be read (it breaks the contract, or its record key is not its
 * decision's key) is logged, counted and skipped: the gateway cannot dead-letter into a
 * topic it does not own, and the key keeps the state of its last valid decision.
 *
 * <p>
 * Metrics: {@code tollgate.gateway.key.controls.paused} (pauses in force now, keys and
 * tenants), {@code tollgate.gateway.key.controls.decisions} (tag {@code action}:
 * {@code pause}, {@code resume}, {@code tombstone}) and
 * {@code tollgate.gateway.key.controls.invalid} (records skipped).
 */
@Component
class KeyControls implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(KeyControls.class);

	private static final String TOPIC = Topics.KEY_CONTROLS.name();

	/**
	 * Longest wait for metadata and offsets, so that an unreachable broker fails the
	 * round (which backs off) instead of blocking it for the client's default minute.
	 */
	private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final GatewayProperties.KeyControls settings;

	private final Map<String, Object> consumerConfig;

	private final Clock clock;

	private final ContractDeserializer<KeyControl> deserializer = new ContractDeserializer<>(KeyControl.class);

	/** The pauses by record key: an api key id, or {@code tenant_id/*}. */
	private final ConcurrentHashMap<String, KeyControl> pauses = new ConcurrentHashMap<>();

	private final Counter pausesApplied;

	private final Counter resumesApplied;

	private final Counter tombstonesApplied;

	private final Counter invalid;

	private volatile boolean running;

	private volatile boolean caughtUp;

	private volatile @Nullable BackgroundLoop loop;

	/** Created by the loop's first round, touched only by the loop (and by stop()). */
	private volatile @Nullable Consumer<String, byte[]> consumer;

	// The loop's own state, reset at start.

	private Set<TopicPartition> assigned = Set.of();

	/** The end offsets to reach before being caught up; null once caught up. */
	private @Nullable Map<TopicPartition, Long> catchUpTo;

	private long startedNanos;

	private boolean topicMissingLogged;

	@Autowired
	KeyControls(GatewayProperties properties, ConsumerFactory<?, ?> consumerFactory, MeterRegistry registry,
			Clock clock) {
		this(properties.keyControls(), consumerFactory.getConfigurationProperties(), registry, clock);
	}

	/**
	 * @param kafka the consumer settings Spring Boot built from {@code spring.kafka.*}
	 * and the connection details (bootstrap servers, security), as every client of the
	 * gateway uses
	 */
	KeyControls(GatewayProperties.KeyControls settings, Map<String, Object> kafka, MeterRegistry registry,
			Clock clock) {
		this.settings = settings;
		this.consumerConfig = consumerConfig(kafka);
		this.clock = clock;
		this.pausesApplied = decisions(registry, "pause");
		this.resumesApplied = decisions(registry, "resume");
		this.tombstonesApplied = decisions(registry, "tombstone");
		this.invalid = Counter.builder("tollgate.gateway.key.controls.invalid")
			.description("Key-control records skipped because they could not be read")
			.register(registry);
		Gauge.builder("tollgate.gateway.key.controls.paused", this, KeyControls::pausedNow)
			.description("Pauses in force now, of single keys and of whole tenants")
			.register(registry);
	}

	private static Counter decisions(MeterRegistry registry, String action) {
		return Counter.builder("tollgate.gateway.key.controls.decisions")
			.description("Key-control records applied, by action")
			.tag("action", action)
			.register(registry);
	}

	private static Map<String, Object> consumerConfig(Map<String, Object> kafka) {
		Map<String, Object> config = new HashMap<>(kafka);
		// No group: every instance reads every partition, and there is nothing to commit.
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// Creating the topic is alerting's job (compacted); a broker that auto-creates
		// topics would otherwise create it at the gateway's first look, not compacted.
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		// Reading again from the start is always safe: the state is the latest record.
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		return config;
	}

	/**
	 * The pause in force for a key: its own, or its tenant's ({@code tenant_id/*}).
	 * @param tenantId the key's tenant
	 * @param apiKeyId the key
	 * @param now the time to judge {@code until} by, read from the clock
	 * @return the pause whose {@code until} is null or after {@code now}; when the key
	 * and its tenant are both paused, the one that lasts longer (no {@code until} lasts
	 * longest), since access returns only when both are lifted; empty when the key may
	 * call
	 */
	Optional<KeyControl> pauseOf(String tenantId, String apiKeyId, Instant now) {
		KeyControl own = this.pauses.get(apiKeyId);
		if (own != null && (!own.tenantId().equals(tenantId) || !inForce(own, now))) {
			// A decision naming the key under another tenant is not about this key.
			own = null;
		}
		KeyControl all = this.pauses.get(tenantId + "/" + KeyControl.ALL_KEYS);
		if (all != null && !inForce(all, now)) {
			all = null;
		}
		if (own == null || all == null) {
			return Optional.ofNullable((own != null) ? own : all);
		}
		return Optional.of(lastsLonger(all, own) ? all : own);
	}

	/**
	 * The pause in force for a key now, by the clock.
	 * @param tenantId the key's tenant
	 * @param apiKeyId the key
	 * @return see {@link #pauseOf(String, String, Instant)}
	 */
	Optional<KeyControl> pauseOf(String tenantId, String apiKeyId) {
		return pauseOf(tenantId, apiKeyId, this.clock.instant());
	}

	/**
	 * Says whether every decision on the topic at start has been read (or the topic does
	 * not exist, or following it is disabled).
	 * @return whether this instance knows every pause
	 */
	boolean caughtUp() {
		return this.caughtUp;
	}

	private static boolean inForce(KeyControl pause, Instant now) {
		Instant until = pause.until();
		return until == null || until.isAfter(now);
	}

	private static boolean lastsLonger(KeyControl candidate, KeyControl other) {
		Instant until = candidate.until();
		Instant otherUntil = other.until();
		if (until == null) {
			return otherUntil != null;
		}
		return otherUntil != null && until.isAfter(otherUntil);
	}

	private double pausedNow() {
		Instant now = this.clock.instant();
		return this.pauses.values().stream().filter((pause) -> inForce(pause, now)).count();
	}

	/**
	 * Applies one record of the topic.
	 * @param record the record, its value still the JSON
	 */
	void apply(ConsumerRecord<String, byte[]> record) {
		String key = record.key();
		if (key == null) {
			skip(record, "it has no record key");
			return;
		}
		if (record.value() == null) {
			apply(key, null);
			return;
		}
		KeyControl control;
		try {
			control = this.deserializer.deserialize(record.topic(), record.headers(), record.value());
		}
		catch (RuntimeException ex) {
			skip(record, String.valueOf(ex.getMessage()));
			return;
		}
		if (control == null || !key.equals(control.partitionKey())) {
			// Compaction keeps the latest record per record key: a decision under another
			// key would stay in force after the real key's next decision.
			skip(record, "its record key '" + key + "' is not its decision's key '"
					+ ((control != null) ? control.partitionKey() : null) + "'");
			return;
		}
		apply(key, control);
	}

	/**
	 * Applies a decision.
	 * @param key the record key
	 * @param control the decision, or null for a tombstone (the key's state removed)
	 */
	void apply(String key, @Nullable KeyControl control) {
		if (control == null) {
			this.pauses.remove(key);
			this.tombstonesApplied.increment();
			return;
		}
		String subject = control.allKeys() ? "Every key of tenant " + control.tenantId()
				: "Key " + control.apiKeyId() + " of tenant " + control.tenantId();
		if (control.action() == KeyAction.PAUSE) {
			this.pauses.put(key, control);
			this.pausesApplied.increment();
			log("{} is paused ({}) {}{}", subject, control.reason(),
					(control.until() != null) ? "until " + control.until() : "until resumed",
					(control.message() != null) ? ": " + control.message() : "");
		}
		else {
			this.pauses.remove(key);
			this.resumesApplied.increment();
			log("{} is resumed ({})", subject, control.reason());
		}
	}

	// Replaying the topic at start would log every decision ever kept; after it only new
	// decisions are news.
	private void log(String format, Object... arguments) {
		if (this.caughtUp) {
			logger.info(format, arguments);
		}
		else {
			logger.debug(format, arguments);
		}
	}

	private void skip(ConsumerRecord<String, byte[]> record, String why) {
		this.invalid.increment();
		logger.warn("Skipping key-control record at {}-{}@{} (key {}): {}; the key keeps its previous state",
				record.topic(), record.partition(), record.offset(), record.key(), why);
	}

	@Override
	public void start() {
		this.running = true;
		if (!this.settings.enabled()) {
			logger.info("Key controls are disabled (tollgate.gateway.key-controls.enabled=false): no key is paused");
			this.caughtUp = true;
			return;
		}
		// A stale pause whose tombstone was compacted away while stopped must not
		// survive: the topic is read again from the beginning.
		this.pauses.clear();
		this.caughtUp = false;
		this.assigned = Set.of();
		this.catchUpTo = null;
		this.topicMissingLogged = false;
		this.startedNanos = System.nanoTime();
		BackgroundLoop follower = new BackgroundLoop("key-controls", this.settings.topicCheckInterval(), MAX_BACKOFF,
				false, this::round, new Failures());
		this.loop = follower;
		follower.start();
	}

	@Override
	public void stop() {
		this.running = false;
		BackgroundLoop follower = this.loop;
		this.loop = null;
		Consumer<String, byte[]> current = this.consumer;
		if (current != null) {
			// Cuts a blocking call short: the round ends at once.
			current.wakeup();
		}
		if (follower != null) {
			follower.stop();
		}
		current = this.consumer;
		this.consumer = null;
		if (current != null) {
			try {
				current.close(CloseOptions.timeout(Duration.ofSeconds(1)));
			}
			catch (RuntimeException ex) {
				logger.warn("Closing the key-controls consumer failed: {}", ex.toString());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Start before the web server, so that reading the topic overlaps the rest of the
	 * start-up, and stop after it.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	/** One poll; says whether to poll again at once (the poll itself waited). */
	private boolean round() {
		Consumer<String, byte[]> current = this.consumer;
		if (current == null) {
			// Created here, not at start: a bootstrap address that does not resolve yet
			// fails a round, which is retried, instead of the gateway's start.
			current = new KafkaConsumer<>(this.consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
			this.consumer = current;
		}
		try {
			if (!follow(current)) {
				return false;
			}
			for (ConsumerRecord<String, byte[]> record : current.poll(this.settings.pollTimeout())) {
				apply(record);
			}
			if (!this.caughtUp) {
				checkCaughtUp(current);
			}
			return true;
		}
		catch (WakeupException ex) {
			// stop() is under way.
			return false;
		}
	}

	/**
	 * Assigns the topic's partitions, reading new ones from the beginning.
	 * @return whether there are partitions to poll
	 */
	private boolean follow(Consumer<String, byte[]> current) {
		// Answered from the consumer's metadata once the topic is known; a lookup only
		// while the topic is missing.
		List<PartitionInfo> infos = current.partitionsFor(TOPIC, METADATA_TIMEOUT);
		Set<TopicPartition> partitions = new HashSet<>();
		for (PartitionInfo info : infos) {
			partitions.add(new TopicPartition(TOPIC, info.partition()));
		}
		if (partitions.isEmpty()) {
			if (!this.topicMissingLogged) {
				this.topicMissingLogged = true;
				logger.info("Topic {} does not exist (yet): no key is paused; looking for it every {}", TOPIC,
						this.settings.topicCheckInterval());
			}
			if (!this.assigned.isEmpty()) {
				// Deleted: what was read stays in force, nothing is left to poll.
				current.assign(List.of());
				this.assigned = Set.of();
			}
			if (!this.caughtUp) {
				this.catchUpTo = null;
				caughtUpNow("the topic does not exist");
			}
			return false;
		}
		if (!partitions.equals(this.assigned)) {
			Set<TopicPartition> added = new HashSet<>(partitions);
			added.removeAll(this.assigned);
			current.assign(partitions);
			current.seekToBeginning(added);
			if (this.topicMissingLogged || !this.assigned.isEmpty()) {
				logger.info("Following {} partitions of {} now", partitions.size(), TOPIC);
			}
			if (!this.caughtUp) {
				this.catchUpTo = current.endOffsets(partitions, METADATA_TIMEOUT);
			}
			this.assigned = Set.copyOf(partitions);
		}
		return true;
	}

	private void checkCaughtUp(Consumer<String, byte[]> current) {
		Map<TopicPartition, Long> targets = this.catchUpTo;
		if (targets == null) {
			targets = current.endOffsets(this.assigned, METADATA_TIMEOUT);
			this.catchUpTo = targets;
		}
		for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
			if (current.position(target.getKey(), METADATA_TIMEOUT) < target.getValue()) {
				return;
			}
		}
		this.catchUpTo = null;
		caughtUpNow("read " + targets.values().stream().mapToLong(Long::longValue).sum() + " offsets");
	}

	private void caughtUpNow(String how) {
		this.caughtUp = true;
		logger.info("Key controls caught up in {} ms ({}): {} pauses in force; ready",
				Duration.ofNanos(System.nanoTime() - this.startedNanos).toMillis(), how, (long) pausedNow());
	}

	/** Failed rounds: Kafka unreachable, or a metadata lookup that timed out. */
	private final class Failures implements BackgroundLoop.Failures {

		@Override
		public void failed(int failedRounds, Duration retryIn, RuntimeException failure) {
			if (failedRounds == 1 || failedRounds % 10 == 0) {
				logger.warn("Reading {} failed ({} in a row: {}); {}retrying in {}", TOPIC, failedRounds,
						failure.toString(), KeyControls.this.caughtUp ? "the pauses read so far stay in force; "
								: "not ready until it is read; ",
						retryIn);
			}
		}

		@Override
		public void recovered(int failedRounds) {
			logger.info("Reading {} again after {} failed attempts", TOPIC, failedRounds);
		}

	}

}
