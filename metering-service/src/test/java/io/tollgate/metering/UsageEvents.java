package io.tollgate.metering;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.Endpoint;
import io.tollgate.contract.Outcome;
import io.tollgate.contract.Provider;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds usage events and publishes them to the usage topic as the gateway does
 * (CloudEvents headers, keyed by tenant).
 */
public final class UsageEvents {

	private UsageEvents() {
	}

	/**
	 * A tenant id no other test uses.
	 * @param label a readable prefix
	 * @return the id
	 */
	public static String freshTenant(String label) {
		return label + "-" + UUID.randomUUID();
	}

	/**
	 * An event with fresh id.
	 * @param tenant the tenant
	 * @param key the api key id
	 * @param provider the provider
	 * @param model the model
	 * @param completedAt when the call completed
	 * @param outcome how it ended
	 * @param tokens its tokens
	 * @return the event
	 */
	public static UsageEvent event(String tenant, String key, Provider provider, String model, Instant completedAt,
			Outcome outcome, TokenCounts tokens) {
		return UsageEvent.builder()
			.tenantId(tenant)
			.apiKeyId(key)
			.provider(provider)
			.model(model)
			.endpoint(endpointOf(provider))
			.tokens(tokens)
			.outcome(outcome)
			.httpStatus((outcome == Outcome.UPSTREAM_ERROR) ? 529 : 200)
			.startedAt(completedAt.minusMillis(800))
			.completedAt(completedAt)
			.upstreamLatencyMs(750)
			.build();
	}

	/**
	 * A successful call with input and output tokens only.
	 * @param tenant the tenant
	 * @param key the api key id
	 * @param completedAt when it completed
	 * @param input input tokens
	 * @param output output tokens
	 * @return the event
	 */
	public static UsageEvent simple(String tenant, String key, Instant completedAt, long input, long output) {
		return event(tenant, key, Provider.ANTHROPIC, "claude-sonnet-4-5", completedAt, Outcome.SUCCESS,
				new TokenCounts(input, output, 0, 0, 0, 0, 0));
	}

	private static Endpoint endpointOf(Provider provider) {
		return switch (provider) {
			case ANTHROPIC -> Endpoint.MESSAGES;
			case OPENAI -> Endpoint.CHAT_COMPLETIONS;
			case GEMINI -> Endpoint.GENERATE_CONTENT;
		};
	}

	/**
	 * Publishes events as the gateway does, and waits for Kafka's acknowledgements.
	 * @param events the events
	 */
	public static void publish(List<UsageEvent> events) {
		try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new StringSerializer(), new ContractSerializer<>())) {
			for (UsageEvent event : events) {
				producer.send(new ProducerRecord<>(Topics.USAGE.name(), event.tenantId(), event));
			}
			producer.flush();
		}
	}

	/**
	 * Publishes a raw record to the usage topic, without headers: for malformed input.
	 * @param key the record key
	 * @param value the record value
	 */
	public static void publishRaw(String key, byte[] value) {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(Topics.USAGE.name(), null, key, value, new RecordHeaders()));
			producer.flush();
		}
	}

	/**
	 * The default wait for aggregation in tests.
	 * @return the deadline
	 */
	public static Duration deadline() {
		return Duration.ofSeconds(60);
	}

}
