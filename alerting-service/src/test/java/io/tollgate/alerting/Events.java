package io.tollgate.alerting;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tollgate.contract.ContractEvent;
import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.Topic;
import io.tollgate.contract.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes contract events to their topics as their producers would (the contract's
 * serializer, CloudEvents headers, the catalogue's key), for tests that feed alerting.
 */
public final class Events {

	private static final ContractSerializer<ContractEvent> SERIALIZER = new ContractSerializer<>("/tollgate/tests");

	private Events() {
	}

	/**
	 * Publishes an event and waits for Kafka to take it.
	 * @param kafka the application's template
	 * @param event the event
	 * @throws Exception when Kafka does not take it within 30 s
	 */
	public static void publish(KafkaTemplate<byte[], byte[]> kafka, ContractEvent event)
			throws InterruptedException, ExecutionException, TimeoutException {
		Topic<String, ? extends ContractEvent> topic = Topics.forEventType(event.getClass());
		RecordHeaders headers = new RecordHeaders();
		byte[] value = SERIALIZER.serialize(topic.name(), headers, event);
		kafka
			.send(new ProducerRecord<>(topic.name(), null, event.partitionKey().getBytes(StandardCharsets.UTF_8), value,
					headers))
			.get(30, TimeUnit.SECONDS);
	}

}
