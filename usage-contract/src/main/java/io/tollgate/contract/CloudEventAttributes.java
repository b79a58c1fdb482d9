package io.tollgate.contract;

import java.net.URI;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The CloudEvents 1.0 context attributes of a contract event, as carried in Kafka headers
 * by {@link CloudEventHeaders}.
 *
 * @param specVersion the CloudEvents version, {@value CloudEventHeaders#SPEC_VERSION_1_0}
 * @param id the event's id ({@link ContractEvent#id()}); with {@code source} it
 * identifies the event
 * @param source the producing context, a URI reference such as {@code /tollgate/gateway}
 * @param type the event type, the topic's {@link Topic#cloudEventType()}
 * @param time the event's own time ({@link ContractEvent#eventTime()})
 * @param subject the tenant id, when given
 * @param dataSchema the JSON Schema of the data ({@link Topic#dataSchema()}), when given
 * @param dataContentType the media type of the data, {@code application/json}, when given
 */
public record CloudEventAttributes(String specVersion, String id, URI source, String type, Instant time,
		@Nullable String subject, @Nullable URI dataSchema, @Nullable String dataContentType) {

	/**
	 * The attributes for a contract event.
	 * @param event the event
	 * @param source the producing context
	 * @return the attributes
	 */
	public static CloudEventAttributes of(ContractEvent event, URI source) {
		return of(Topics.forEventType(event.getClass()), event.id(), event.eventTime(), event.tenantId(), source);
	}

	/**
	 * The attributes for an event already written as JSON, from the parts of it they
	 * carry: for a producer that keeps events encoded (the gateway's spool) and must not
	 * parse them again to send them.
	 * @param topic the topic the event goes to
	 * @param id the event's id ({@link ContractEvent#id()})
	 * @param time the event's time ({@link ContractEvent#eventTime()})
	 * @param tenantId the tenant, the subject
	 * @param source the producing context
	 * @return the attributes
	 */
	public static CloudEventAttributes of(Topic<?, ?> topic, String id, Instant time, String tenantId, URI source) {
		return new CloudEventAttributes(CloudEventHeaders.SPEC_VERSION_1_0, id, source, topic.cloudEventType(), time,
				tenantId, topic.dataSchema(), CloudEventHeaders.JSON);
	}

}
