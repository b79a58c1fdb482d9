package io.tollgate.gateway.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.tollgate.contract.Decoded;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.contract.Violation;
import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.support.web.Callers;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.support.web.ApiException;
import io.tollgate.gateway.web.DataBuffers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /v1/usage-events}: a JSON array of usage events, or a CloudEvents JSON
 * batch ({@code application/cloudevents-batch+json}) whose elements carry the events as
 * {@code data}.
 *
 * <p>
 * Each event is held to the caller's key: a missing {@code tenant_id} or
 * {@code api_key_id} is filled in from it, a different one is rejected, so no key can
 * write another tenant's usage. Each is then validated with the contract's rules. Events
 * already ingested (same {@code event_id}, in this request or an earlier one) are
 * answered {@code duplicate} and not published again. The accepted ones are published to
 * the usage topic and the answer waits for Kafka's acknowledgement: when it comes, they
 * are durable; when Kafka does not answer in time, the whole request fails with 503 and
 * nothing is recorded, so retrying is safe.
 */
@RestController
class IngestController {

	private static final Logger logger = LoggerFactory.getLogger(IngestController.class);

	private static final MediaType CLOUDEVENTS_BATCH = MediaType.parseMediaType("application/cloudevents-batch+json");

	private final EventCodec codec = EventCodec.shared();

	private final KafkaTemplate<String, UsageEvent> kafka;

	private final IngestedEvents ingested;

	private final GatewayProperties.Ingest limits;

	IngestController(KafkaTemplate<String, UsageEvent> kafka, IngestedEvents ingested, GatewayProperties properties) {
		this.kafka = kafka;
		this.ingested = ingested;
		this.limits = properties.ingest();
	}

	/**
	 * The answer for one submitted event.
	 *
	 * @param index its position in the request
	 * @param eventId its id, when it had one
	 * @param status {@code accepted}, {@code duplicate} or {@code rejected}
	 * @param errors why it was rejected
	 */
	record EventResult(int index, @Nullable String eventId, String status, List<Violation> errors) {

	}

	/**
	 * The answer to a request.
	 *
	 * @param accepted how many were published
	 * @param duplicates how many had been ingested before
	 * @param rejected how many were invalid
	 * @param results one per submitted event, in order
	 */
	record IngestResponse(int accepted, int duplicates, int rejected, List<EventResult> results) {

	}

	@PostMapping("/v1/usage-events")
	Mono<IngestResponse> ingest(ServerWebExchange exchange) {
		if (!(Callers.of(exchange) instanceof Caller.Tenant tenant)) {
			return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "tenant_key_required",
					"Usage events are ingested with a tenant's Tollgate key"));
		}
		long maxBytes = this.limits.maxPayloadSize().toBytes();
		long declared = exchange.getRequest().getHeaders().getContentLength();
		if (declared > maxBytes) {
			return Mono.error(tooLarge(maxBytes));
		}
		boolean cloudEvents = CLOUDEVENTS_BATCH.isCompatibleWith(exchange.getRequest().getHeaders().getContentType());
		return DataBufferUtils.join(exchange.getRequest().getBody(), (int) Math.min(maxBytes, Integer.MAX_VALUE))
			.onErrorMap(org.springframework.core.io.buffer.DataBufferLimitException.class, (ex) -> tooLarge(maxBytes))
			.map(DataBuffers::drain)
			.defaultIfEmpty(new byte[0])
			.flatMap((body) -> process(parse(body, cloudEvents), tenant));
	}

	private Mono<IngestResponse> process(List<JsonNode> elements, Caller.Tenant tenant) {
		List<EventResult> results = new ArrayList<>(elements.size());
		List<UsageEvent> candidates = new ArrayList<>();
		List<Integer> candidateIndexes = new ArrayList<>();
		for (int index = 0; index < elements.size(); index++) {
			JsonNode element = elements.get(index);
			List<Violation> ownership = claim(element, tenant);
			Decoded<UsageEvent> decoded = this.codec.decode(element, UsageEvent.class);
			List<Violation> violations = new ArrayList<>(ownership);
			violations.addAll(decoded.violations());
			if (!violations.isEmpty() || !(decoded instanceof Decoded.Valid<UsageEvent> valid)) {
				results.add(new EventResult(index, text(element, "event_id"), "rejected", violations));
				continue;
			}
			results.add(null);
			candidates.add(valid.event());
			candidateIndexes.add(index);
		}
		return this.ingested.known(candidates.stream().map(UsageEvent::eventId).toList()).flatMap((known) -> {
			Set<String> seen = new HashSet<>(known);
			List<UsageEvent> accepted = new ArrayList<>();
			for (int i = 0; i < candidates.size(); i++) {
				UsageEvent event = candidates.get(i);
				boolean fresh = seen.add(event.eventId());
				results.set(candidateIndexes.get(i), new EventResult(candidateIndexes.get(i), event.eventId(),
						fresh ? "accepted" : "duplicate", List.of()));
				if (fresh) {
					accepted.add(event);
				}
			}
			return publish(accepted)
				.then(this.ingested.remember(tenant.tenantId(), accepted.stream().map(UsageEvent::eventId).toList()))
				.thenReturn(response(results));
		});
	}

	/**
	 * Sends every accepted event and completes when Kafka has acknowledged all of them.
	 */
	private Mono<Void> publish(List<UsageEvent> events) {
		if (events.isEmpty()) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			CompletableFuture<?>[] sends = events.stream()
				.map((event) -> this.kafka.send(Topics.USAGE.name(), event.tenantId(), event))
				.toArray(CompletableFuture[]::new);
			return Mono.fromFuture(CompletableFuture.allOf(sends));
		}).timeout(this.limits.publishTimeout()).onErrorMap((ex) -> !(ex instanceof ApiException), (ex) -> {
			logger.warn("Ingest could not publish {} usage events: {}", events.size(), ex.toString());
			return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "kafka_unavailable",
					"The usage events could not be made durable in Kafka; nothing was recorded. Retry later: "
							+ "re-posting the same event ids is safe.");
		}).then();
	}

	/**
	 * Holds an event to the caller's tenant and key, filling them in when absent.
	 */
	private static List<Violation> claim(JsonNode element, Caller.Tenant tenant) {
		if (!(element instanceof ObjectNode event)) {
			return List.of();
		}
		List<Violation> violations = new ArrayList<>();
		claimField(event, "tenant_id", tenant.tenantId(), "tenant_mismatch",
				"events are recorded for the tenant of the key that posts them", violations);
		claimField(event, "api_key_id", tenant.apiKeyId(), "api_key_mismatch",
				"events are recorded for the key that posts them", violations);
		return violations;
	}

	private static void claimField(ObjectNode event, String field, String expected, String code, String reason,
			List<Violation> violations) {
		JsonNode value = event.get(field);
		if (value == null || value.isNull()) {
			event.put(field, expected);
		}
		else if (!value.isString() || !value.asString().equals(expected)) {
			violations.add(new Violation(field, code, "must be '" + expected + "' or absent: " + reason));
		}
	}

	private List<JsonNode> parse(byte[] body, boolean cloudEvents) {
		JsonNode root;
		try {
			root = this.codec.mapper().readTree(body);
		}
		catch (JacksonException ex) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "malformed_json",
					"The body is not valid JSON: " + ex.getOriginalMessage());
		}
		if (root == null || !root.isArray()) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request",
					"The body must be a JSON array of usage events" + (cloudEvents ? " (CloudEvents batch)" : ""));
		}
		if (root.size() > this.limits.maxEvents()) {
			throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too_many_events",
					"At most " + this.limits.maxEvents() + " events per request, got " + root.size());
		}
		List<JsonNode> elements = new ArrayList<>(root.size());
		for (JsonNode element : root) {
			elements.add(cloudEvents ? unwrapCloudEvent(element) : element);
		}
		return elements;
	}

	/**
	 * A structured-mode CloudEvent of type {@code io.tollgate.usage.v1} carries the usage
	 * event as {@code data}; anything else is passed on as is and rejected by validation.
	 */
	private static JsonNode unwrapCloudEvent(JsonNode element) {
		JsonNode type = element.get("type");
		JsonNode data = element.get("data");
		if (type != null && type.isString() && type.asString().equals(Topics.USAGE.cloudEventType()) && data != null
				&& data.isObject()) {
			return data;
		}
		return element;
	}

	private static IngestResponse response(List<EventResult> results) {
		int accepted = 0;
		int duplicates = 0;
		int rejected = 0;
		for (EventResult result : results) {
			switch (result.status()) {
				case "accepted" -> accepted++;
				case "duplicate" -> duplicates++;
				default -> rejected++;
			}
		}
		return new IngestResponse(accepted, duplicates, rejected, results);
	}

	private static @Nullable String text(JsonNode element, String field) {
		JsonNode value = element.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static ApiException tooLarge(long maxBytes) {
		return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
				"The request body is larger than " + maxBytes + " bytes; send fewer events per request");
	}

}
