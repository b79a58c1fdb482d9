package io.tollgate.billing.config;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.contract.WireValue;
import io.tollgate.support.web.ApiException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Binds JSON to a record with Jackson, checks it with Bean Validation and refuses the
 * first thing wrong, naming its field: the bodies of the admin and budget APIs, and the
 * seed catalog file.
 *
 * <p>
 * As strict as the hand-written parsers it replaced: an unknown field, a repeated key and
 * a value of another JSON type than its field's are refused; a decimal is a JSON number
 * or a string, read exactly. Jackson stops at the first value it cannot bind, in the
 * body's order; then the fields' constraints are checked in the record's order, a missing
 * value before a malformed one before one out of range ({@link #PRECEDENCE}). Rules
 * across fields are the records' own. A validator of its own, not Boot's: the records are
 * bound by static methods, called by unit tests without a context too.
 */
public final class RequestBodies {

	/** Refusals of a request body: 400 {@code invalid_parameter} naming the field. */
	public static final Refuser INVALID_PARAMETER = (param, where, problem) -> ApiException
		.invalidParameter(param.isEmpty() ? "body" : param, (where.isEmpty() ? "the body" : where) + " " + problem);

	private static final List<String> PRECEDENCE = List.of("NotNull", "NotBlank", "NotEmpty", "Null", "Size", "Pattern",
			"DecimalMin", "DecimalMax", "Digits");

	/** What a value of the wrong JSON type should have been. */
	private static final Map<Class<?>, String> EXPECTED = Map.of(String.class, "a non-empty string", BigDecimal.class,
			"a decimal such as \"3.75\"", Instant.class, "a UTC time such as 2026-12-01T00:00:00Z (RFC 3339)",
			LocalDate.class, "a date such as 2026-11-23", Boolean.class, "true or false", boolean.class,
			"true or false", Integer.class, "a whole number");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.withCoercionConfigDefaults((config) -> {
			for (CoercionInputShape shape : CoercionInputShape.values()) {
				config.setCoercion(shape, CoercionAction.Fail);
			}
		})
		.withCoercionConfig(LogicalType.Float,
				(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
					.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
		// Jackson's own readers of times also take epoch numbers, and of dates arrays.
		.addModule(new SimpleModule()
			.addDeserializer(Instant.class, fromText(Instant.class, (text) -> OffsetDateTime.parse(text).toInstant()))
			.addDeserializer(LocalDate.class, fromText(LocalDate.class, LocalDate::parse)))
		.build();

	private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

	private RequestBodies() {
	}

	/** Reads a request body; refuses it with 400 {@code invalid_parameter}. */
	public static <T extends Record> T body(String json, Class<T> type, Class<?>... groups) {
		return bind(read(json, INVALID_PARAMETER), type, INVALID_PARAMETER, groups);
	}

	public static JsonNode read(String json, Refuser refuser) {
		try {
			return JSON.readTree(json);
		}
		catch (JacksonException ex) {
			throw refuser.refuse("", "is not valid JSON: " + ex.getOriginalMessage());
		}
	}

	/** Binds a JSON object to a record and {@link #check checks} it. */
	public static <T extends Record> T bind(JsonNode json, Class<T> type, Refuser refuser, Class<?>... groups) {
		if (!json.isObject()) {
			throw refuser.refuse("", "must be a JSON object");
		}
		try {
			T value = JSON.treeToValue(json, type);
			check(value, refuser, groups);
			return value;
		}
		catch (JacksonException ex) {
			throw refusal(ex, json, refuser);
		}
	}

	/** Checks the constraints of a record's fields (not of the records inside them). */
	public static void check(Record value, Refuser refuser, Class<?>... groups) {
		for (RecordComponent component : value.getClass().getRecordComponents()) {
			VALIDATOR.validateProperty(value, component.getName(), groups)
				.stream()
				.min(Comparator
					.comparing((ConstraintViolation<Record> violation) -> violation.getPropertyPath().toString())
					.thenComparingInt(RequestBodies::precedence))
				.ifPresent((violation) -> {
					throw refuser.refuse(name(component) + keys(violation.getPropertyPath()), violation.getMessage());
				});
		}
	}

	private static RuntimeException refusal(JacksonException ex, JsonNode json, Refuser refuser) {
		// Positions in arrays are left out: a field names its array, not an element.
		List<String> names = new ArrayList<>();
		JsonNode at = json;
		for (JacksonException.Reference step : ex.getPath()) {
			at = (step.getPropertyName() != null) ? at.path(step.getPropertyName()) : at.path(step.getIndex());
			if (step.getPropertyName() != null) {
				names.add(step.getPropertyName());
			}
		}
		String where = String.join(".", names);
		if (ex instanceof UnrecognizedPropertyException unknown) {
			Object from = ex.getPath().getLast().from();
			JsonIgnoreProperties ignored = ((from instanceof Class<?> type) ? type : from.getClass())
				.getAnnotation(JsonIgnoreProperties.class);
			String known = Stream
				.concat(unknown.getKnownPropertyIds().stream(),
						Stream.of((ignored != null) ? ignored.value() : new String[0]))
				.map(String::valueOf)
				.sorted()
				.collect(Collectors.joining(", "));
			return refuser.refuse(where, String.join(".", names.subList(0, names.size() - 1)),
					"has an unknown field \"" + unknown.getPropertyName() + "\" (known: " + known + ")");
		}
		if (!(ex instanceof MismatchedInputException mismatch) || mismatch.getTargetType() == null) {
			return refuser.refuse(where, "is not valid: " + ex.getOriginalMessage());
		}
		Class<?> type = mismatch.getTargetType();
		if (ex instanceof InvalidFormatException format && format.getValue() instanceof String text) {
			// An enum refused as a value, or as a key of an object (a token kind, a
			// tier).
			String named = (type.isEnum() && at.isObject()) ? where + "." + text : where;
			return refuser.refuse(named, type.isEnum() ? "\"" + text + "\" is not " + expected(type)
					: "is not " + expected(type) + ": \"" + text + "\"");
		}
		return refuser.refuse(where, "must be " + expected(type));
	}

	private static String expected(Class<?> type) {
		return WireValue.class.isAssignableFrom(type)
				? "one of " + WireValue.spellings(type.asSubclass(WireValue.class))
				: EXPECTED.getOrDefault(type, Collection.class.isAssignableFrom(type) ? "an array" : "a JSON object");
	}

	private static String name(RecordComponent component) {
		JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
		return (property != null) ? property.value() : component.getName();
	}

	/** The map keys a violation concerns, as in {@code prices.input}. */
	private static String keys(Path path) {
		StringBuilder keys = new StringBuilder();
		for (Path.Node node : path) {
			if (node.getKey() != null) {
				keys.append('.').append((node.getKey() instanceof WireValue wire) ? wire.wire() : node.getKey());
			}
		}
		return keys.toString();
	}

	private static int precedence(ConstraintViolation<?> violation) {
		int index = PRECEDENCE
			.indexOf(violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName());
		return (index >= 0) ? index : PRECEDENCE.size();
	}

	/** Reads a value written as a string, stripped, as the APIs document it. */
	private static <T> ValueDeserializer<T> fromText(Class<T> type, Function<String, T> parse) {
		return new StdScalarDeserializer<>(type) {

			@Override
			public T deserialize(JsonParser parser, DeserializationContext context) {
				if (!parser.hasToken(JsonToken.VALUE_STRING)) {
					return type.cast(context.handleUnexpectedToken(type, parser));
				}
				try {
					return parse.apply(parser.getString().strip());
				}
				catch (DateTimeException ex) {
					return type.cast(context.handleWeirdStringValue(type, parser.getString(), "not a valid value"));
				}
			}

		};
	}

	/** Raises the refusal of a value: as a 400, or as a failure to start. */
	@FunctionalInterface
	public interface Refuser {

		/**
		 * The refusal of a value.
		 * @param param the field to fix ({@code prices.input}), empty for the whole body
		 * @param where what is wrong, for a person: the field, or the object with an
		 * unknown field; empty for the whole body
		 * @param problem what is wrong with it ({@code must not be negative})
		 * @return the exception to throw
		 */
		RuntimeException refuse(String param, String where, String problem);

		/** The refusal of a field's value, such as {@code tiers_long}. */
		default RuntimeException refuse(String field, String problem) {
			return refuse(field, field, problem);
		}

		/** Refuses the values of one part of the body, such as {@code models[3]}. */
		default Refuser under(String prefix) {
			return (param, where, problem) -> refuse(join(prefix, param), join(prefix, where), problem);
		}

		private static String join(String prefix, String name) {
			return name.isEmpty() ? prefix : prefix + "." + name;
		}

	}

}
