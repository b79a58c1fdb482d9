package io.tollgate.billing.config;

import java.lang.annotation.Annotation;
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

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.contract.WireValue;
import io.tollgate.support.web.ApiException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Binds a JSON body to a record with Jackson and checks it with Bean Validation, refusing
 * the first thing wrong with the field it concerns. The request bodies of the admin and
 * budget APIs and the seed catalog file are read with it, so that each refusal names its
 * field in the same words.
 *
 * <p>
 * Reading is stricter than Jackson's defaults, as the bodies always were: a field the
 * record does not have, a repeated key, a number where a string, an enum or a time is
 * expected, a string where a boolean or a whole number is, a fraction where a whole
 * number is, are all refused. JSON numbers are exact decimals, never doubles. Names are
 * the records' {@link JsonProperty} names (snake_case) or their own.
 *
 * <p>
 * Which problem is the first: Jackson stops at the first value it cannot bind, in the
 * body's order; then the constraints are checked field by field in the record's order,
 * and of several violations of one value a missing value comes before a malformed one,
 * before one out of range, before one too precise ({@link #PRECEDENCE}). Rules across
 * fields are the records' own methods, run by their callers after this.
 *
 * <p>
 * One validator of its own rather than Boot's: the records are bound by static methods
 * that the unit tests call without an application context, and tests and service must
 * refuse alike.
 */
public final class RequestBodies {

	/** Refusals of a request body: 400 {@code invalid_parameter} naming the field. */
	public static final Refuser INVALID_PARAMETER = (param, where, problem) -> ApiException
		.invalidParameter(param.isEmpty() ? "body" : param, (where.isEmpty() ? "the body" : where) + " " + problem);

	private static final List<Class<? extends Annotation>> PRECEDENCE = List.of(NotNull.class, NotBlank.class,
			NotEmpty.class, Null.class, Size.class, Pattern.class, DecimalMin.class, DecimalMax.class, Digits.class);

	/** What a value of the wrong JSON type should have been. */
	private static final Map<Class<?>, String> EXPECTED = Map.of(String.class, "a non-empty string", BigDecimal.class,
			"a decimal such as \"3.75\"", Instant.class, "a UTC time such as 2026-12-01T00:00:00Z (RFC 3339)",
			LocalDate.class, "a date such as 2026-11-23", Boolean.class, "true or false", boolean.class,
			"true or false", Integer.class, "a whole number");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
				DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
		.withCoercionConfig(LogicalType.Textual,
				(config) -> fail(config, CoercionInputShape.Integer, CoercionInputShape.Float,
						CoercionInputShape.Boolean))
		.withCoercionConfig(LogicalType.Boolean,
				(config) -> fail(config, CoercionInputShape.String, CoercionInputShape.EmptyString,
						CoercionInputShape.Integer))
		.withCoercionConfig(LogicalType.Integer,
				(config) -> fail(config, CoercionInputShape.String, CoercionInputShape.EmptyString,
						CoercionInputShape.Float))
		.withCoercionConfig(LogicalType.Float, (config) -> fail(config, CoercionInputShape.EmptyString))
		// Jackson's own readers of times also take epoch numbers, and of dates arrays.
		.addModule(new SimpleModule()
			.addDeserializer(Instant.class, fromText(Instant.class, (text) -> OffsetDateTime.parse(text).toInstant()))
			.addDeserializer(LocalDate.class, fromText(LocalDate.class, LocalDate::parse)))
		.build();

	private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

	private RequestBodies() {
	}

	/**
	 * Reads, binds and checks a request body.
	 * @param <T> the record
	 * @param json the body
	 * @param type the record
	 * @param groups the validation groups, none for the default
	 * @return the record, valid
	 * @throws ApiException 400 {@code invalid_parameter} naming the field
	 */
	public static <T extends Record> T body(String json, Class<T> type, Class<?>... groups) {
		return bind(read(json, INVALID_PARAMETER), type, INVALID_PARAMETER, groups);
	}

	/**
	 * Reads JSON.
	 * @param json the text
	 * @param refuser raises the refusal of text that is not JSON
	 * @return the JSON
	 */
	public static JsonNode read(String json, Refuser refuser) {
		try {
			return JSON.readTree(json);
		}
		catch (JacksonException ex) {
			throw refuser.refuse("", "", "is not valid JSON: " + ex.getOriginalMessage());
		}
	}

	/**
	 * Binds a JSON object to a record and checks its constraints.
	 * @param <T> the record
	 * @param json the object
	 * @param type the record
	 * @param refuser raises the refusal
	 * @param groups the validation groups, none for the default
	 * @return the record, valid
	 */
	public static <T extends Record> T bind(JsonNode json, Class<T> type, Refuser refuser, Class<?>... groups) {
		if (!json.isObject()) {
			throw refuser.refuse("", "", "must be a JSON object");
		}
		T value;
		try {
			value = JSON.treeToValue(json, type);
		}
		catch (JacksonException ex) {
			throw refusal(ex, json, refuser);
		}
		check(value, refuser, groups);
		return value;
	}

	/**
	 * Checks the constraints of a record's own fields (not of records inside it), field
	 * by field in its order.
	 * @param value the record
	 * @param refuser raises the refusal of the first violation
	 * @param groups the validation groups, none for the default
	 */
	public static void check(Record value, Refuser refuser, Class<?>... groups) {
		for (RecordComponent component : value.getClass().getRecordComponents()) {
			VALIDATOR.validateProperty(value, component.getName(), groups)
				.stream()
				.min(Comparator
					.comparing((ConstraintViolation<Record> violation) -> violation.getPropertyPath().toString())
					.thenComparingInt(RequestBodies::precedence))
				.ifPresent((violation) -> {
					String where = name(component) + keys(violation.getPropertyPath());
					throw refuser.refuse(where, where, violation.getMessage());
				});
		}
	}

	private static RuntimeException refusal(JacksonException ex, JsonNode json, Refuser refuser) {
		// Positions in arrays are left out: a body's field names its array, not an
		// element.
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
			return refuser.refuse(where, String.join(".", names.subList(0, names.size() - 1)),
					"has an unknown field \"" + unknown.getPropertyName() + "\" (known: "
							+ String.join(", ", sorted(unknown.getKnownPropertyIds())) + ")");
		}
		if (!(ex instanceof MismatchedInputException mismatch) || mismatch.getTargetType() == null) {
			return refuser.refuse(where, where, "is not valid: " + ex.getOriginalMessage());
		}
		Class<?> type = mismatch.getTargetType();
		if (ex instanceof InvalidFormatException format && format.getValue() instanceof String text) {
			if (!type.isEnum()) {
				return refuser.refuse(where, where, "is not " + expected(type) + ": \"" + text + "\"");
			}
			// Refused as the key of an object (a token kind, a tier) or as a value.
			String named = at.isObject() ? where + "." + text : where;
			return refuser.refuse(named, named, "\"" + text + "\" is not " + expected(type));
		}
		return refuser.refuse(where, where, (type == String.class) ? patternMessage(ex) : "must be " + expected(type));
	}

	private static String expected(Class<?> type) {
		if (WireValue.class.isAssignableFrom(type)) {
			return "one of " + WireValue.spellings(type.asSubclass(WireValue.class));
		}
		return EXPECTED.getOrDefault(type, Collection.class.isAssignableFrom(type) ? "an array" : "a JSON object");
	}

	/**
	 * What a string field refused for its JSON type must be: what its pattern says, when
	 * it has one ({@code cap_usd}: a decimal in a string, never a number).
	 */
	private static String patternMessage(JacksonException ex) {
		JacksonException.Reference field = ex.getPath().getLast();
		Class<?> owner = (field.from() instanceof Class<?> type) ? type : field.from().getClass();
		for (RecordComponent component : owner.isRecord() ? owner.getRecordComponents() : new RecordComponent[0]) {
			Pattern pattern = component.getAccessor().getAnnotation(Pattern.class);
			if (pattern != null && name(component).equals(field.getPropertyName())) {
				return pattern.message();
			}
		}
		return "must be " + EXPECTED.get(String.class);
	}

	private static String name(RecordComponent component) {
		JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
		return (property != null) ? property.value() : component.getName();
	}

	/** The keys of the map entries a violation concerns, as {@code .input}. */
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
		int index = PRECEDENCE.indexOf(violation.getConstraintDescriptor().getAnnotation().annotationType());
		return (index >= 0) ? index : PRECEDENCE.size();
	}

	private static List<String> sorted(Collection<Object> names) {
		return names.stream().map(String::valueOf).sorted().toList();
	}

	private static void fail(MutableCoercionConfig config, CoercionInputShape... shapes) {
		for (CoercionInputShape shape : shapes) {
			config.setCoercion(shape, CoercionAction.Fail);
		}
	}

	/** A reader of a value written as a string, stripped, parsed as the APIs document. */
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

	/**
	 * Raises the refusal of a value.
	 */
	@FunctionalInterface
	public interface Refuser {

		/**
		 * The refusal of a value.
		 * @param param the field to fix ({@code cap_usd}, {@code prices.input}), empty
		 * for the whole body
		 * @param where what is wrong, for a person: the field, or the object with an
		 * unknown field; empty for the whole body
		 * @param problem what is wrong with it, such as {@code must not be negative}
		 * @return the exception to throw
		 */
		RuntimeException refuse(String param, String where, String problem);

		/**
		 * Refusals of the values inside one part of the body.
		 * @param prefix the part, such as {@code models[3] (openai gpt-5)}
		 * @return the refuser of its values
		 */
		default Refuser under(String prefix) {
			return (param, where, problem) -> refuse(join(prefix, param), join(prefix, where), problem);
		}

		private static String join(String prefix, String name) {
			return name.isEmpty() ? prefix : prefix + "." + name;
		}

	}

}
