package io.tollgate.gateway.keycontrol;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.Topics;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes key controls as alerting does, on the real key-controls topic of this JVM's
 * Kafka: the contract's serializer for the value (CloudEvents headers included), the
 * decision's {@code partitionKey()} as the record key.
 */
final class KeyControlTopic implements AutoCloseable {

	private final Producer<String, KeyControl> producer = new KafkaProducer<>(
			Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers(),
					ProducerConfig.ACKS_CONFIG, "all"),
			new StringSerializer(), new ContractSerializer<KeyControl>("/tollgate/alerting"));

	/**
	 * Creates the topic, compacted, as alerting does at its start, unless it exists.
	 */
	static void create() {
		try (Admin admin = Admin.create(
				Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers()))) {
			admin
				.createTopics(List.of(new NewTopic(Topics.KEY_CONTROLS.name(), 3, (short) 1)
					.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException(ex);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Publishes a pause decided now.
	 * @param tenantId the tenant
	 * @param apiKeyId the key, or {@link KeyControl#ALL_KEYS}
	 * @param reason the reason code
	 * @param message what the client is told, or null
	 * @param until when access returns, or null
	 * @return the decision published
	 */
	KeyControl pause(String tenantId, String apiKeyId, String reason, @Nullable String message,
			@Nullable Duration until) {
		var now = TestClock.shared().instant();
		return publish(new KeyControl(UUID.randomUUID().toString(), tenantId, apiKeyId, KeyAction.PAUSE, reason,
				message, (until != null) ? now.plus(until) : null, now));
	}

	KeyControl resume(String tenantId, String apiKeyId, String reason) {
		return publish(new KeyControl(UUID.randomUUID().toString(), tenantId, apiKeyId, KeyAction.RESUME, reason, null,
				null, TestClock.shared().instant()));
	}

	KeyControl publish(KeyControl control) {
		send(new ProducerRecord<>(Topics.KEY_CONTROLS.name(), control.partitionKey(), control));
		return control;
	}

	/** Removes a key's state, as compaction's delete marker. */
	void tombstone(String recordKey) {
		send(new ProducerRecord<>(Topics.KEY_CONTROLS.name(), recordKey, null));
	}

	private void send(ProducerRecord<String, KeyControl> record) {
		try {
			this.producer.send(record).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Publishing " + record + " failed", ex);
		}
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(5));
	}

}
