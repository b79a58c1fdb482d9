package io.tollgate.contract;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shape of the contract's JSON, read off the event records: which fields exist, which
 * are required, and what JSON type each has. Checking the shape on the JSON tree, before
 * binding, is what lets decoding report every wrong type, unknown enum value and missing
 * field at its own path instead of stopping at the first one, as data binding would.
 *
 * <p>
 * The check also produces a copy of the tree that holds only the fields that passed, in a
 * normalised form, so that binding it cannot fail and the content rules of
 * {@link EventValidator} can still run on the rest of the event.
 */
final class JsonStructure {

	/** The JSON kinds the contract uses. */
	enum Kind {

		STRING, LONG, INT, BOOLEAN, INSTANT, DECIMAL, ENUM, STRING_MAP, INT_LIST, OBJECT

	}

	/**
	 * One JSON field of a record.
	 *
	 * @param name the JSON name
	 * @param kind the JSON kind
	 * @param type the Java type
	 * @param nullable whether JSON {@code null} is allowed (and absence)
	 * @param optional whether the field may be absent
	 */
	record Member(String name, Kind kind, Class<?> type, boolean nullable, boolean optional) {

		boolean required() {
			return !this.optional;
		}

	}

	// A plain decimal, no exponent, no leading zeros, no '+': the same as the schemas'
	// pattern except that the sign is left for EventValidator to report as "negative".
	private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");

	private static final ClassValue<List<Member>> MEMBERS = new ClassValue<>() {

		@Override
		protected List<Member> computeValue(Class<?> type) {
			return read(type);
		}

	};

	private JsonStructure() {
	}

	/**
	 * The JSON fields of a contract record, in declaration order.
	 */
	static List<Member> members(Class<?> recordType) {
		return MEMBERS.get(recordType);
	}

	/**
	 * Checks a JSON document against a record's shape.
	 * @param root the document
	 * @param recordType the record it should bind to
	 * @param violations receives every structural violation
	 * @return the normalised copy holding only the fields that passed, or {@code null}
	 * when the document is not an object at all
	 */
	static @Nullable ObjectNode check(JsonNode root, Class<?> recordType, List<Violation> violations) {
		if (!root.isObject()) {
			violations.add(new Violation("$", Violation.WRONG_TYPE, "expected an object, was " + typeOf(root)));
			return null;
		}
		return object(root, recordType, "", violations);
	}

	private static ObjectNode object(JsonNode node, Class<?> recordType, String prefix, List<Violation> violations) {
		ObjectNode clean = JsonNodeFactory.instance.objectNode();
		for (Member member : members(recordType)) {
			String path = prefix + member.name();
			JsonNode value = node.get(member.name());
			if (value == null || value.isMissingNode()) {
				if (member.required()) {
					violations.add(new Violation(path, Violation.REQUIRED, "is required"));
				}
			}
			else if (value.isNull()) {
				if (member.nullable()) {
					clean.putNull(member.name());
				}
				else if (member.optional()) {
					violations.add(wrongType(path, member, value));
				}
				else {
					violations.add(new Violation(path, Violation.REQUIRED, "must not be null"));
				}
			}
			else {
				JsonNode normalised = value(value, member, path, violations);
				if (normalised != null) {
					clean.set(member.name(), normalised);
				}
			}
		}
		return clean;
	}

	private static @Nullable JsonNode value(JsonNode value, Member member, String path, List<Violation> violations) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		switch (member.kind()) {
			case STRING -> {
				if (value.isString()) {
					return value;
				}
			}
			case BOOLEAN -> {
				if (value.isBoolean()) {
					return value;
				}
			}
			case LONG, INT -> {
				if (value.isNumber()) {
					return integer(value, member.kind() == Kind.INT, path, violations);
				}
			}
			case ENUM -> {
				if (value.isString()) {
					return wireValue(value.stringValue(), member.type(), path, violations);
				}
			}
			case INSTANT -> {
				if (value.isString()) {
					Instant instant = instant(value.stringValue());
					if (instant != null) {
						return nodes.stringNode(instant.toString());
					}
					violations.add(new Violation(path, Violation.INVALID_FORMAT, Checks.quote(value.stringValue())
							+ " is not an RFC 3339 date-time such as 2025-01-31T12:00:00Z"));
					return null;
				}
			}
			case DECIMAL -> {
				if (value.isString()) {
					if (DECIMAL.matcher(value.stringValue()).matches()) {
						return value;
					}
					violations.add(new Violation(path, Violation.INVALID_FORMAT,
							Checks.quote(value.stringValue()) + " is not a plain decimal such as \"12.345678\""));
					return null;
				}
			}
			case STRING_MAP -> {
				if (value.isObject()) {
					ObjectNode clean = nodes.objectNode();
					for (Map.Entry<String, JsonNode> entry : value.properties()) {
						if (entry.getValue().isString()) {
							clean.set(entry.getKey(), entry.getValue());
						}
						else {
							violations.add(new Violation(path + "." + entry.getKey(), Violation.WRONG_TYPE,
									"expected a string, was " + typeOf(entry.getValue())));
						}
					}
					return clean;
				}
			}
			case INT_LIST -> {
				if (value.isArray()) {
					var clean = nodes.arrayNode();
					for (int i = 0; i < value.size(); i++) {
						JsonNode element = value.get(i);
						String elementPath = path + "[" + i + "]";
						if (!element.isNumber()) {
							violations.add(new Violation(elementPath, Violation.WRONG_TYPE,
									"expected an integer, was " + typeOf(element)));
							continue;
						}
						JsonNode number = integer(element, true, elementPath, violations);
						if (number != null) {
							clean.add(number);
						}
					}
					return clean;
				}
			}
			case OBJECT -> {
				if (value.isObject()) {
					return object(value, member.type(), path + ".", violations);
				}
			}
		}
		violations.add(wrongType(path, member, value));
		return null;
	}

	private static @Nullable JsonNode integer(JsonNode value, boolean isInt, String path, List<Violation> violations) {
		BigDecimal number = value.decimalValue();
		// JSON Schema counts 5.0 as an integer, so the decoder does too.
		if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
			violations.add(new Violation(path, Violation.WRONG_TYPE, "expected an integer, was " + number));
			return null;
		}
		try {
			return isInt ? JsonNodeFactory.instance.numberNode(number.intValueExact())
					: JsonNodeFactory.instance.numberNode(number.longValueExact());
		}
		catch (ArithmeticException ex) {
			violations.add(new Violation(path, Violation.OUT_OF_RANGE,
					"must fit in " + (isInt ? "32" : "64") + " bits, was " + number.toPlainString()));
			return null;
		}
	}

	private static @Nullable JsonNode wireValue(String text, Class<?> enumType, String path,
			List<Violation> violations) {
		for (Object constant : enumType.getEnumConstants()) {
			if (((WireValue) constant).wire().equals(text)) {
				return JsonNodeFactory.instance.stringNode(text);
			}
		}
		@SuppressWarnings("unchecked")
		Class<? extends WireValue> wireType = (Class<? extends WireValue>) enumType;
		violations.add(new Violation(path, Violation.UNKNOWN_VALUE,
				Checks.quote(text) + " is not one of " + WireValue.spellings(wireType)));
		return null;
	}

	static @Nullable Instant instant(String text) {
		return Rfc3339.parse(text);
	}

	private static Violation wrongType(String path, Member member, JsonNode value) {
		String expected = switch (member.kind()) {
			case STRING, ENUM -> "a string";
			case INSTANT -> "an RFC 3339 date-time string";
			case DECIMAL -> "a decimal in a string, such as \"12.34\"";
			case LONG, INT -> "an integer";
			case BOOLEAN -> "a boolean";
			case STRING_MAP, OBJECT -> "an object";
			case INT_LIST -> "an array of integers";
		};
		return new Violation(path, Violation.WRONG_TYPE, "expected " + expected + ", was " + typeOf(value));
	}

	private static String typeOf(JsonNode value) {
		return switch (value.getNodeType()) {
			case STRING -> "string " + Checks.quote(value.stringValue());
			case NUMBER -> "number " + value.numberValue();
			case BOOLEAN -> "boolean " + value.booleanValue();
			default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
		};
	}

	private static List<Member> read(Class<?> recordType) {
		if (!recordType.isRecord()) {
			throw new IllegalArgumentException(recordType.getName() + " is not a record");
		}
		List<Member> members = new ArrayList<>();
		for (RecordComponent component : recordType.getRecordComponents()) {
			JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
			if (property == null) {
				// Wire names are part of the contract: spelled out, never derived.
				throw new IllegalStateException(
						recordType.getName() + "." + component.getName() + " has no @JsonProperty wire name");
			}
			Kind kind = kind(component.getType(), component.getGenericType());
			boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class);
			// An absent map or list means an empty one; only @Nullable fields may be
			// null.
			boolean optional = nullable || kind == Kind.STRING_MAP || kind == Kind.INT_LIST;
			members.add(new Member(property.value(), kind, component.getType(), nullable, optional));
		}
		return List.copyOf(members);
	}

	private static Kind kind(Class<?> type, Type genericType) {
		if (type == String.class) {
			return Kind.STRING;
		}
		if (type == long.class) {
			return Kind.LONG;
		}
		if (type == int.class) {
			return Kind.INT;
		}
		if (type == boolean.class) {
			return Kind.BOOLEAN;
		}
		if (type == Instant.class) {
			return Kind.INSTANT;
		}
		if (type == BigDecimal.class) {
			return Kind.DECIMAL;
		}
		if (type.isEnum() && WireValue.class.isAssignableFrom(type)) {
			return Kind.ENUM;
		}
		if (type == Map.class && genericType instanceof ParameterizedType map
				&& map.getActualTypeArguments()[0] == String.class && map.getActualTypeArguments()[1] == String.class) {
			return Kind.STRING_MAP;
		}
		if (type == List.class && genericType instanceof ParameterizedType list
				&& list.getActualTypeArguments()[0] == Integer.class) {
			return Kind.INT_LIST;
		}
		if (type.isRecord()) {
			return Kind.OBJECT;
		}
		throw new IllegalStateException("No JSON kind for " + genericType.getTypeName());
	}

}
