package io.tollgate.contract;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The CloudEvents 1.0 Kafka protocol binding in binary content mode, for the contract's
 * events: the context attributes travel as {@code ce_*} headers (UTF-8 strings), the data
 * content type as the {@code content-type} header, and the record value is the event's
 * JSON alone. Binary mode keeps the value identical to {@link EventCodec}'s JSON, so
 * consumers that ignore the headers read the same bytes.
 *
 * <p>
 * Written by hand rather than with the CloudEvents SDK: six headers do not justify a
 * second JSON stack on the classpath.
 */
public final class CloudEventHeaders {

	/** Header of the CloudEvents spec version. */
	public static final String SPEC_VERSION = "ce_specversion";

	/** Header of the event id. */
	public static final String ID = "ce_id";

	/** Header of the event source. */
	public static final String SOURCE = "ce_source";

	/** Header of the event type. */
	public static final String TYPE = "ce_type";

	/** Header of the event time (RFC 3339). */
	public static final String TIME = "ce_time";

	/** Header of the event subject (the tenant id). */
	public static final String SUBJECT = "ce_subject";

	/** Header of the data schema URI. */
	public static final String DATA_SCHEMA = "ce_dataschema";

	/**
	 * Header of the data content type; the binding maps {@code datacontenttype} to it.
	 */
	public static final String CONTENT_TYPE = "content-type";

	/** The only CloudEvents version supported. */
	public static final String SPEC_VERSION_1_0 = "1.0";

	/** The media type of the data. */
	public static final String JSON = "application/json";

	private static final String PREFIX = "ce_";

	private static final List<String> HEADERS = List.of(SPEC_VERSION, ID, SOURCE, TYPE, TIME, SUBJECT, DATA_SCHEMA,
			CONTENT_TYPE);

	private CloudEventHeaders() {
	}

	/**
	 * Writes the attributes into record headers, replacing any earlier values of the same
	 * headers.
	 * @param attributes the attributes
	 * @param headers the record headers, writable
	 */
	public static void write(CloudEventAttributes attributes, Headers headers) {
		HEADERS.forEach(headers::remove);
		put(headers, SPEC_VERSION, attributes.specVersion());
		put(headers, ID, attributes.id());
		put(headers, SOURCE, attributes.source().toString());
		put(headers, TYPE, attributes.type());
		put(headers, TIME, attributes.time().toString());
		put(headers, SUBJECT, attributes.subject());
		put(headers, DATA_SCHEMA, (attributes.dataSchema() != null) ? attributes.dataSchema().toString() : null);
		put(headers, CONTENT_TYPE, attributes.dataContentType());
	}

	/**
	 * Whether a record carries CloudEvents attributes at all (any {@code ce_} header).
	 * @param headers the record headers
	 * @return {@code true} when at least one is present
	 */
	public static boolean present(Headers headers) {
		for (Header header : headers) {
			if (header.key().startsWith(PREFIX)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Reads and checks the attributes: required ones present, spec version 1.0, time in
	 * RFC 3339, source and data schema URIs, content type JSON.
	 * @param headers the record headers
	 * @return the attributes, or every violation, each named after its header
	 */
	public static Decoded<CloudEventAttributes> read(Headers headers) {
		List<Violation> violations = new ArrayList<>();
		String specVersion = required(headers, SPEC_VERSION, violations);
		if (specVersion != null && !SPEC_VERSION_1_0.equals(specVersion)) {
			violations.add(new Violation(SPEC_VERSION, Violation.UNKNOWN_VALUE,
					Violation.quote(specVersion) + " is not one of " + SPEC_VERSION_1_0));
		}
		String id = required(headers, ID, violations);
		URI source = uri(headers, SOURCE, true, false, violations);
		String type = required(headers, TYPE, violations);
		String timeText = required(headers, TIME, violations);
		Instant time = (timeText != null) ? Rfc3339.parse(timeText) : null;
		if (timeText != null && time == null) {
			violations.add(new Violation(TIME, Violation.INVALID_FORMAT,
					Violation.quote(timeText) + " is not an RFC 3339 date-time such as 2025-01-31T12:00:00Z"));
		}
		String subject = optional(headers, SUBJECT, violations);
		URI dataSchema = uri(headers, DATA_SCHEMA, false, true, violations);
		String contentType = value(headers, CONTENT_TYPE);
		if (contentType != null && !isJson(contentType)) {
			violations.add(new Violation(CONTENT_TYPE, Violation.UNKNOWN_VALUE,
					Violation.quote(contentType) + " is not one of " + JSON));
		}
		if (!violations.isEmpty()) {
			return new Decoded.Invalid<>(List.copyOf(violations));
		}
		return new Decoded.Valid<>(new CloudEventAttributes(Objects.requireNonNull(specVersion),
				Objects.requireNonNull(id), Objects.requireNonNull(source), Objects.requireNonNull(type),
				Objects.requireNonNull(time), subject, dataSchema, contentType));
	}

	/**
	 * Checks that attributes describe the event they came with, on the topic it was read
	 * from: the type is the topic's, the id and subject are the event's.
	 * @param attributes the attributes read from the headers
	 * @param event the event read from the value
	 * @param expectedType the CloudEvents type the topic carries
	 * @return every disagreement, empty when none
	 */
	public static List<Violation> verify(CloudEventAttributes attributes, ContractEvent event, String expectedType) {
		List<Violation> violations = new ArrayList<>();
		Violation type = typeMismatch(attributes.type(), expectedType);
		if (type != null) {
			violations.add(type);
		}
		violations.addAll(describes(attributes, event));
		return violations;
	}

	/** The header's type, when it is present and not the expected one. */
	static @Nullable Violation typeMismatch(Headers headers, String expectedType) {
		String type = value(headers, TYPE);
		return (type != null && !type.isEmpty()) ? typeMismatch(type, expectedType) : null;
	}

	private static @Nullable Violation typeMismatch(String type, String expectedType) {
		if (type.equals(expectedType)) {
			return null;
		}
		return new Violation(TYPE, Violation.MISMATCH, "expected " + expectedType + ", was " + Violation.quote(type));
	}

	/** Whether the id and subject are the event's. */
	static List<Violation> describes(CloudEventAttributes attributes, ContractEvent event) {
		List<Violation> violations = new ArrayList<>();
		if (!attributes.id().equals(event.id())) {
			violations.add(new Violation(ID, Violation.MISMATCH, "expected the event's id "
					+ Violation.quote(event.id()) + ", was " + Violation.quote(attributes.id())));
		}
		if (attributes.subject() != null && !attributes.subject().equals(event.tenantId())) {
			violations.add(new Violation(SUBJECT, Violation.MISMATCH, "expected the event's tenant id "
					+ Violation.quote(event.tenantId()) + ", was " + Violation.quote(attributes.subject())));
		}
		return violations;
	}

	private static void put(Headers headers, String key, @Nullable String value) {
		if (value != null) {
			headers.add(key, value.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static @Nullable String value(Headers headers, String key) {
		Header header = headers.lastHeader(key);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static @Nullable String required(Headers headers, String key, List<Violation> violations) {
		String value = value(headers, key);
		if (value == null || value.isEmpty()) {
			violations.add(new Violation(key, Violation.REQUIRED, "is required"));
			return null;
		}
		return value;
	}

	private static @Nullable String optional(Headers headers, String key, List<Violation> violations) {
		String value = value(headers, key);
		if (value != null && value.isEmpty()) {
			// CloudEvents: an optional attribute, when present, is a non-empty string.
			violations.add(new Violation(key, Violation.REQUIRED, "must not be empty when present"));
			return null;
		}
		return value;
	}

	private static @Nullable URI uri(Headers headers, String key, boolean required, boolean absolute,
			List<Violation> violations) {
		String text = required ? required(headers, key, violations) : optional(headers, key, violations);
		if (text == null) {
			return null;
		}
		try {
			URI uri = new URI(text);
			if (!absolute || uri.isAbsolute()) {
				return uri;
			}
		}
		catch (URISyntaxException ex) {
			// reported below
		}
		violations.add(new Violation(key, Violation.INVALID_FORMAT,
				Violation.quote(text) + " is not " + (absolute ? "an absolute URI" : "a URI reference")));
		return null;
	}

	private static boolean isJson(String contentType) {
		int parameters = contentType.indexOf(';');
		String mediaType = ((parameters >= 0) ? contentType.substring(0, parameters) : contentType).strip();
		return mediaType.toLowerCase(Locale.ROOT).equals(JSON);
	}

}
