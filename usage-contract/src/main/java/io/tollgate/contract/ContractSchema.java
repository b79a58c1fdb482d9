package io.tollgate.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published JSON Schemas as the contract's structural rules at run time: required
 * fields, JSON types, enumerations, patterns, formats, lengths and ranges are decided by
 * the schema files under {@code schemas/}, validated with the networknt validator, and
 * nowhere else.
 *
 * <p>
 * Algorithm: validate the JSON tree against the event type's schema (format assertions
 * on: in draft 2020-12 "format" is only an annotation unless asked for), turn each error
 * into a {@link Violation} with the contract's codes, keep the first violation per field
 * (a type error before the rules that assume the type), and order them by the record's
 * field order so that reports read like the event. Wording a schema error needs only the
 * error itself, the value, and the keyword's sibling keywords in the schema; the
 * expectation behind a pattern is the schema's own {@value #MESSAGE_KEYWORD} keyword, so
 * that the schema stays the one place that knows what a field must look like.
 */
final class ContractSchema {

	/** The schema keyword that holds, per keyword, what a failing value should be. */
	static final String MESSAGE_KEYWORD = "message";

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			(builder) -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
				.errorMessageKeyword(MESSAGE_KEYWORD)
				.formatAssertionsEnabled(true)
				.build()));

	private static final JsonMapper READER = JsonMapper.builder().build();

	// Checks run type first: a value of the wrong type makes every other complaint noise.
	private static final List<String> KEYWORD_RANK = List.of("type", "required", "minLength", "maxLength");

	private static final ClassValue<ContractSchema> SCHEMAS = new ClassValue<>() {

		@Override
		protected ContractSchema computeValue(Class<?> type) {
			@SuppressWarnings("unchecked")
			Topic<?, ?> topic = Topics.forEventType((Class<? extends ContractEvent>) type);
			return new ContractSchema(type, topic.schemaPath());
		}

	};

	private final Schema schema;

	private final @Nullable SchemaShortcut shortcut;

	private final JsonNode document;

	private final List<String> fields;

	private ContractSchema(Class<?> type, String path) {
		try (InputStream in = ContractSchema.class.getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("No schema at " + path);
			}
			this.document = READER.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.schema = REGISTRY.getSchema(this.document);
		this.shortcut = SchemaShortcut.compile(this.document);
		this.fields = fieldNames(type);
	}

	/**
	 * Says whether the shortcut (when the schema compiles to one) lets the document
	 * through; for the tests that hold it to the validator's answers.
	 */
	boolean shortcutPasses(JsonNode tree) {
		return this.shortcut != null && this.shortcut.passes(tree);
	}

	static ContractSchema of(Class<? extends ContractEvent> type) {
		return SCHEMAS.get(type);
	}

	/**
	 * The JSON field names of a contract record in declaration order, which is also the
	 * order of the schema's properties.
	 */
	static List<String> fieldNames(Class<?> recordType) {
		List<String> names = new ArrayList<>();
		for (RecordComponent component : recordType.getRecordComponents()) {
			JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
			if (property == null) {
				// Wire names are part of the contract: spelled out, never derived.
				throw new IllegalStateException(
						recordType.getName() + "." + component.getName() + " has no @JsonProperty wire name");
			}
			names.add(property.value());
		}
		return List.copyOf(names);
	}

	/**
	 * Validates a JSON document.
	 * @param tree the document
	 * @param fromRecord whether the document was written from an event record, whose null
	 * components are absent fields, not JSON nulls
	 * @return the violations, at most one per field, in field order
	 */
	List<Violation> check(JsonNode tree, boolean fromRecord) {
		if (this.shortcut != null && this.shortcut.passes(tree)) {
			return List.of();
		}
		List<Error> errors = new ArrayList<>(this.schema.validate(tree));
		if (errors.isEmpty()) {
			return List.of();
		}
		errors.sort(Comparator.comparingInt(ContractSchema::rank));
		List<Violation> violations = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (Error error : errors) {
			Violation violation = violation(error, fromRecord);
			// Repeated thresholds are reported by the cross-field rule that wants them
			// increasing, at the index that breaks it.
			if (violation != null && seen.add(violation.field())) {
				violations.add(violation);
			}
		}
		return inFieldOrder(violations);
	}

	/** Sorts violations by their top-level field's place in the record, stably. */
	List<Violation> inFieldOrder(List<Violation> violations) {
		List<Violation> sorted = new ArrayList<>(violations);
		sorted.sort(Comparator.comparingInt((violation) -> position(violation.field())));
		return List.copyOf(sorted);
	}

	private int position(String field) {
		int end = field.length();
		for (int i = 0; i < field.length(); i++) {
			if (field.charAt(i) == '.' || field.charAt(i) == '[') {
				end = i;
				break;
			}
		}
		int index = this.fields.indexOf(field.substring(0, end));
		return (index >= 0) ? index : -1;
	}

	private static int rank(Error error) {
		int rank = KEYWORD_RANK.indexOf(error.getKeyword());
		return (rank >= 0) ? rank : KEYWORD_RANK.size();
	}

	private @Nullable Violation violation(Error error, boolean fromRecord) {
		String field = field(error);
		JsonNode value = error.getInstanceNode();
		JsonNode rule = error.getSchemaNode();
		JsonNode siblings = siblings(error, 1);
		String expectation = error.isCustomMessage() ? error.getMessage() : null;
		String keyword = error.getKeyword();
		if (value.isString() && isBlank(value.stringValue()) && siblings.has("minLength")
				&& (keyword.equals("minLength") || keyword.equals("pattern"))) {
			return new Violation(field, Violation.REQUIRED, "must not be blank");
		}
		if (value.isNull() && fromRecord) {
			return new Violation(field, Violation.REQUIRED, "is required");
		}
		if (value.isNull() && isRequired(error)) {
			return new Violation(field, Violation.REQUIRED, "must not be null");
		}
		return switch (keyword) {
			case "required" -> new Violation(field, Violation.REQUIRED, "is required");
			case "type" -> new Violation(field, Violation.WRONG_TYPE, "expected "
					+ ((expectation != null) ? expectation : expected(siblings)) + ", was " + found(value, rule));
			case "enum" -> new Violation(field, Violation.UNKNOWN_VALUE, shown(value) + " is not one of "
					+ String.join(", ", rule.valueStream().map(JsonNode::asString).toList()));
			case "minimum", "maximum" -> range(field, value, siblings, expectation);
			case "pattern" -> pattern(field, value, rule, expectation);
			case "format" -> new Violation(field, Violation.INVALID_FORMAT,
					shown(value) + " is not an RFC 3339 date-time such as 2025-01-31T12:00:00Z");
			case "minLength" ->
				new Violation(field, Violation.INVALID_FORMAT, "must be at least " + rule.asInt() + " characters");
			case "maxLength" -> new Violation(field, Violation.TOO_LONG, "must be at most " + rule.asInt()
					+ " characters, was " + value.stringValue().codePointCount(0, value.stringValue().length()));
			case "maxProperties", "maxItems" -> new Violation(field, Violation.TOO_LONG,
					"must have at most " + rule.asInt() + " entries, had " + value.size());
			case "uniqueItems" -> null;
			default -> new Violation(field, Violation.INVALID_FORMAT, error.getMessage());
		};
	}

	private static Violation range(String field, JsonNode value, JsonNode siblings, String expectation) {
		BigDecimal number = value.decimalValue();
		if (expectation == null && siblings.path("minimum").asInt(-1) == 0 && number.signum() < 0) {
			return new Violation(field, Violation.NEGATIVE, "must be >= 0, was " + number.toPlainString());
		}
		String bounds = (expectation != null) ? expectation : "must be between " + siblings.path("minimum").asString()
				+ " and " + siblings.path("maximum").asString();
		return new Violation(field, Violation.OUT_OF_RANGE, bounds + ", was " + number.toPlainString());
	}

	private static Violation pattern(String field, JsonNode value, JsonNode rule, String expectation) {
		String text = value.stringValue();
		// A plain decimal but for its minus sign: the contract's word for that is
		// "negative".
		if (text.startsWith("-") && Pattern.compile(rule.asString()).matcher(text.substring(1)).find()) {
			return new Violation(field, Violation.NEGATIVE, "must be >= 0, was " + text);
		}
		return new Violation(field, Violation.INVALID_FORMAT,
				shown(value) + " " + ((expectation != null) ? expectation : "does not match " + rule.asString()));
	}

	/**
	 * Whether the failing field is one its object requires, so that null is not a value
	 * of the wrong type but a required value left out.
	 */
	private boolean isRequired(Error error) {
		// The evaluation path, unlike the schema location, still says which property
		// led into a $ref'd definition.
		NodePath path = error.getEvaluationPath();
		int end = path.getNameCount() - 1;
		if (end > 0 && "$ref".equals(path.getElement(end - 1))) {
			end--;
		}
		if (end < 2 || !"properties".equals(path.getElement(end - 2))) {
			return false;
		}
		String name = path.getElement(end - 1).toString();
		JsonNode parent = this.document;
		for (int i = 0; i < end - 2; i++) {
			Object element = path.getElement(i);
			parent = "$ref".equals(element) ? this.document.at(parent.path("$ref").asString().substring(1))
					: parent.path(element.toString());
		}
		return parent.path("required").valueStream().anyMatch((required) -> name.equals(required.asString()));
	}

	/** The schema object {@code up} levels above the failing keyword. */
	private JsonNode siblings(Error error, int up) {
		NodePath location = error.getSchemaLocation().getFragment();
		JsonNode node = this.document;
		for (int i = 0; i < location.getNameCount() - up; i++) {
			Object element = location.getElement(i);
			node = (element instanceof Integer index) ? node.path(index) : node.path(element.toString());
		}
		return node;
	}

	private static String field(Error error) {
		NodePath location = error.getInstanceLocation();
		StringBuilder field = new StringBuilder();
		for (int i = 0; i < location.getNameCount(); i++) {
			Object element = location.getElement(i);
			if (element instanceof Integer index) {
				field.append('[').append(index).append(']');
			}
			else {
				field.append((field.length() > 0) ? "." : "").append(element);
			}
		}
		if (error.getProperty() != null) {
			field.append((field.length() > 0) ? "." : "").append(error.getProperty());
		}
		return (field.length() > 0) ? field.toString() : "$";
	}

	/** What a subschema asks for, as a phrase: "an integer", "a string". */
	private static String expected(JsonNode schema) {
		if ("date-time".equals(schema.path("format").asString(null))) {
			return "an RFC 3339 date-time string";
		}
		String type = schema.path("type").isArray() ? schema.path("type").path(0).asString()
				: schema.path("type").asString();
		return switch (type) {
			case "integer" -> "an integer";
			case "boolean" -> "a boolean";
			case "object" -> "an object";
			case "array" -> "an array of " + schema.path("items").path("type").asString("value") + "s";
			default -> "a " + type;
		};
	}

	private static String found(JsonNode value, JsonNode rule) {
		// An integer field given 200.5 says "was 200.5"; the kind is plain enough.
		if (value.isNumber() && "integer".equals(rule.asString(null))) {
			return value.decimalValue().toPlainString();
		}
		return switch (value.getNodeType()) {
			case STRING -> "string " + Violation.quote(value.stringValue());
			case NUMBER -> "number " + value.numberValue();
			case BOOLEAN -> "boolean " + value.booleanValue();
			default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
		};
	}

	private static String shown(JsonNode value) {
		return value.isString() ? Violation.quote(value.stringValue()) : value.toString();
	}

	/** Java regex's {@code \\s}, the schemas' notion of whitespace. */
	private static boolean isBlank(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!(c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r')) {
				return false;
			}
		}
		return true;
	}

}
