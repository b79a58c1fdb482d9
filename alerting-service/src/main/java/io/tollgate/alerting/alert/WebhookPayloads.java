package io.tollgate.alerting.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of a webhook message, the Standard Webhooks shape: {@code {"type": ...,
 * "timestamp": ..., "data": {...}}}, with the timestamp in RFC 3339 (UTC) and amounts as
 * decimal strings inside {@code data}.
 */
public final class WebhookPayloads {

	static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(SerializationFeature.INDENT_OUTPUT)
		.build();

	private WebhookPayloads() {
	}

	/**
	 * The message of an alert; its {@code data} carries the alert's id, tenant and key
	 * first, then the evidence.
	 * @param alert the alert
	 * @return the JSON body
	 */
	public static String of(Alert alert) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("alert_id", alert.alertId());
		data.put("tenant_id", alert.tenantId());
		data.put("api_key_id", alert.apiKeyId());
		data.putAll(alert.data());
		return of(alert.type(), alert.occurredAt(), data);
	}

	/**
	 * A message.
	 * @param type its type
	 * @param timestamp when what it reports happened
	 * @param data its data
	 * @return the JSON body
	 */
	public static String of(AlertType type, Instant timestamp, Map<String, Object> data) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", type.wire());
		body.put("timestamp", timestamp.toString());
		body.put("data", data);
		return MAPPER.writeValueAsString(body);
	}

}
