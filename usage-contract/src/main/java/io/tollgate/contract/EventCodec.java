package io.tollgate.contract;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes and reads the contract's events as JSON. Thread-safe: one instance can serve a
 * whole application.
 *
 * <p>
 * The JSON form: snake_case field names, enums as their {@link WireValue wire} spelling,
 * instants as RFC 3339 strings in UTC ({@code 2025-01-31T12:00:00Z}), amounts as strings
 * holding a plain decimal ({@code "12.345678"}) so that no consumer reads money as a
 * double, {@code null} written for absent optional fields. Unknown fields are ignored
 * when reading, so that a producer can add a field before every consumer knows it.
 *
 * <p>
 * Reading never throws for bad input: {@link #decode} returns every violation of the
 * contract at once: malformed JSON, then what breaks the event type's JSON Schema
 * ({@link ContractSchema}: missing fields, wrong JSON types, unknown enum values,
 * malformed date-times and decimals, lengths, ranges), then the cross-field rules of
 * {@link EventValidator}.
 */
public final class EventCodec {

	private static final EventCodec SHARED = new EventCodec();

	private final JsonMapper mapper;

	/**
	 * Creates a codec with the contract's JSON configuration.
	 */
	public EventCodec() {
		this.mapper = JsonMapper.builder()
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.withConfigOverride(BigDecimal.class,
					(override) -> override.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING)))
			.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
			.disable(SerializationFeature.INDENT_OUTPUT)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			// Binding only sees documents the schema accepted, or that copy of one in
			// which the fields that broke it are left out; their placeholders must not
			// stop the cross-field rules.
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			// A repeated field would let two readers of one event see different values.
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			// The schema has checked that these are RFC 3339 strings; parsing them by
			// hand
			// instead of with DateTimeFormatter halves the cost of a timestamp.
			.addModule(new SimpleModule("tollgate-rfc3339").addDeserializer(Instant.class, new InstantDeserializer()))
			.build();
	}

	/** Reads an RFC 3339 string as an instant, and nothing else. */
	private static final class InstantDeserializer extends ValueDeserializer<Instant> {

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) {
			if (!parser.hasToken(JsonToken.VALUE_STRING)) {
				return (Instant) context.handleUnexpectedToken(Instant.class, parser);
			}
			String text = parser.getString();
			Instant instant = Rfc3339.parse(text);
			if (instant == null) {
				return (Instant) context.handleWeirdStringValue(Instant.class, text,
						"not an RFC 3339 date-time such as 2025-01-31T12:00:00Z");
			}
			return instant;
		}

	}

	/**
	 * A codec shared by everything in the JVM that has no reason to create its own.
	 * @return the shared codec
	 */
	public static EventCodec shared() {
		return SHARED;
	}

	/**
	 * The configured mapper, for reading request bodies that hold events (e.g. an array
	 * of usage events); pass the event nodes to {@link #decode(JsonNode, Class)}. Binding
	 * events with the mapper directly skips the contract's checks.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Writes an event as UTF-8 JSON. Does not validate; see {@link EventValidator}.
	 * @param event the event
	 * @return the JSON bytes
	 */
	public byte[] encode(ContractEvent event) {
		return this.mapper.writeValueAsBytes(event);
	}

	/**
	 * Writes an event as a JSON string. Does not validate; see {@link EventValidator}.
	 * @param event the event
	 * @return the JSON text
	 */
	public String encodeToString(ContractEvent event) {
		return this.mapper.writeValueAsString(event);
	}

	/**
	 * Reads and validates an event.
	 * @param <T> the event type
	 * @param json UTF-8 JSON
	 * @param type the event type
	 * @return the event, or every violation
	 */
	public <T extends ContractEvent> Decoded<T> decode(byte @Nullable [] json, Class<T> type) {
		if (json == null || json.length == 0) {
			return empty();
		}
		JsonNode tree;
		try {
			tree = this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			return malformed(ex);
		}
		return decode(tree, type);
	}

	/**
	 * Reads and validates an event.
	 * @param <T> the event type
	 * @param json JSON text
	 * @param type the event type
	 * @return the event, or every violation
	 */
	public <T extends ContractEvent> Decoded<T> decode(String json, Class<T> type) {
		return decode(json.getBytes(StandardCharsets.UTF_8), type);
	}

	/**
	 * Validates and binds an already parsed JSON value, e.g. one element of an array.
	 * @param <T> the event type
	 * @param tree the JSON value
	 * @param type the event type
	 * @return the event, or every violation
	 */
	public <T extends ContractEvent> Decoded<T> decode(@Nullable JsonNode tree, Class<T> type) {
		if (tree == null || tree.isMissingNode()) {
			return empty();
		}
		ContractSchema schema = ContractSchema.of(type);
		List<Violation> violations = new ArrayList<>(schema.check(tree, false));
		Set<String> reported = EventValidator.fields(violations);
		if (reported.contains("$")) {
			return new Decoded.Invalid<>(List.copyOf(violations));
		}
		T event;
		try {
			// What broke the schema is left out, so that the cross-field rules can still
			// run on the rest of the event.
			event = this.mapper.treeToValue(violations.isEmpty() ? tree : without(tree, reported), type);
		}
		catch (JacksonException ex) {
			// Beyond the schema: an integer too large for 64 bits. Still an answer with
			// the reason, not a stack trace.
			violations.add(new Violation(field(ex), Violation.OUT_OF_RANGE, oneLine(ex.getOriginalMessage())));
			return new Decoded.Invalid<>(schema.inFieldOrder(violations));
		}
		violations.addAll(EventValidator.crossField(event, reported));
		return violations.isEmpty() ? new Decoded.Valid<>(event)
				: new Decoded.Invalid<>(schema.inFieldOrder(violations));
	}

	/** A copy of the document without the given fields (dotted paths, arrays whole). */
	private static JsonNode without(JsonNode tree, Set<String> fields) {
		ObjectNode copy = (ObjectNode) tree.deepCopy();
		for (String field : fields) {
			String[] names = field.replaceAll("\\[.*", "").split("\\.");
			JsonNode parent = copy;
			for (int i = 0; i < names.length - 1; i++) {
				parent = parent.path(names[i]);
			}
			if (parent instanceof ObjectNode object) {
				object.remove(names[names.length - 1]);
			}
		}
		return copy;
	}

	/**
	 * Reads and validates an event, throwing when it breaks the contract.
	 * @param <T> the event type
	 * @param json UTF-8 JSON
	 * @param type the event type
	 * @return the event
	 * @throws InvalidEventException listing every violation
	 */
	public <T extends ContractEvent> T decodeOrThrow(byte @Nullable [] json, Class<T> type) {
		Decoded<T> decoded = decode(json, type);
		if (decoded instanceof Decoded.Valid<T>(T event)) {
			return event;
		}
		throw new InvalidEventException("invalid " + type.getSimpleName(), decoded.violations());
	}

	private static <T> Decoded<T> empty() {
		return new Decoded.Invalid<>(List.of(new Violation("$", Violation.MALFORMED_JSON, "the payload is empty")));
	}

	private static <T> Decoded<T> malformed(JacksonException ex) {
		TokenStreamLocation location = ex.getLocation();
		String where = (location != null && location != TokenStreamLocation.NA)
				? "at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " : "";
		return new Decoded.Invalid<>(
				List.of(new Violation("$", Violation.MALFORMED_JSON, where + oneLine(ex.getOriginalMessage()))));
	}

	private static String field(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append((path.length() > 0) ? "." : "").append(reference.getPropertyName());
			}
		}
		return (path.length() > 0) ? path.toString() : "$";
	}

	private static String oneLine(@Nullable String message) {
		return (message != null) ? message.replaceAll("\\s+", " ").strip() : "unreadable";
	}

}
