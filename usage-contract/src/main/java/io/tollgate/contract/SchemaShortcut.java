package io.tollgate.contract;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A JSON Schema compiled to plain Java checks, for the keywords the contract's schemas
 * use, that answers one question fast: does this document certainly pass? It never
 * explains a failure; {@link ContractSchema} asks the networknt validator then, so the
 * schema files stay the only statement of the rules and the validator the only judge of a
 * bad document.
 *
 * <p>
 * Why it exists: in the metering drain benchmark the validator's own work per valid event
 * (evaluation paths, execution contexts, a walk over every keyword) cost a fifth of
 * metering's throughput (docs/benchmarks.md); this walk of the tree costs a fraction of
 * it. It only ever errs towards caution: a keyword it does not know makes
 * {@link #compile} return {@code null} (the validator judges every document), and a value
 * it is not sure of (a number written as {@code 5.0} for an integer, say) is "not
 * certain", which again means the validator decides. {@code SchemaAgreementTests} holds
 * the two to the same answers.
 */
final class SchemaShortcut {

	private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "title", "description",
			ContractSchema.MESSAGE_KEYWORD);

	private final Set<String> types = new HashSet<>();

	private final List<String> required = new ArrayList<>();

	private final Map<String, SchemaShortcut> properties = new HashMap<>();

	private @Nullable SchemaShortcut additionalProperties;

	private @Nullable SchemaShortcut propertyNames;

	private @Nullable SchemaShortcut items;

	private @Nullable Set<String> enumeration;

	private @Nullable Pattern pattern;

	private boolean dateTime;

	private boolean uniqueItems;

	private int minLength = -1;

	private int maxLength = -1;

	private int maxProperties = -1;

	private int maxItems = -1;

	private @Nullable BigDecimal minimum;

	private @Nullable BigDecimal maximum;

	private SchemaShortcut() {
	}

	/**
	 * Compiles a schema document.
	 * @param document the schema
	 * @return the checks, or {@code null} when the schema uses a keyword this class does
	 * not implement
	 */
	static @Nullable SchemaShortcut compile(JsonNode document) {
		try {
			return compile(document, document);
		}
		catch (UnsupportedOperationException ex) {
			return null;
		}
	}

	private static SchemaShortcut compile(JsonNode schema, JsonNode document) {
		SchemaShortcut compiled = new SchemaShortcut();
		for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
			JsonNode value = keyword.getValue();
			switch (keyword.getKey()) {
				case "$ref" -> {
					String ref = value.asString();
					if (!ref.startsWith("#/") || schema.size() != 1) {
						throw new UnsupportedOperationException(ref);
					}
					return compile(document.at(ref.substring(1)), document);
				}
				case "type" -> {
					if (value.isArray()) {
						value.forEach((type) -> compiled.types.add(type.asString()));
					}
					else {
						compiled.types.add(value.asString());
					}
				}
				case "required" -> value.forEach((name) -> compiled.required.add(name.asString()));
				case "properties" -> value.properties()
					.forEach((property) -> compiled.properties.put(property.getKey(),
							compile(property.getValue(), document)));
				case "additionalProperties" -> compiled.additionalProperties = compile(value, document);
				case "propertyNames" -> compiled.propertyNames = compile(value, document);
				case "items" -> compiled.items = compile(value, document);
				case "enum" -> {
					Set<String> values = new HashSet<>();
					value.forEach((constant) -> {
						if (!constant.isString()) {
							throw new UnsupportedOperationException("enum of " + constant);
						}
						values.add(constant.asString());
					});
					compiled.enumeration = values;
				}
				// JSON Schema patterns are not anchored: find, not match.
				case "pattern" -> compiled.pattern = Pattern.compile(value.asString());
				case "format" -> {
					if (!value.asString().equals("date-time")) {
						throw new UnsupportedOperationException("format " + value);
					}
					compiled.dateTime = true;
				}
				case "minLength" -> compiled.minLength = value.asInt();
				case "maxLength" -> compiled.maxLength = value.asInt();
				case "maxProperties" -> compiled.maxProperties = value.asInt();
				case "maxItems" -> compiled.maxItems = value.asInt();
				case "uniqueItems" -> compiled.uniqueItems = value.asBoolean();
				case "minimum" -> compiled.minimum = value.decimalValue();
				case "maximum" -> compiled.maximum = value.decimalValue();
				default -> {
					if (!ANNOTATIONS.contains(keyword.getKey())) {
						throw new UnsupportedOperationException(keyword.getKey());
					}
				}
			}
		}
		return compiled;
	}

	/**
	 * Says whether a document certainly passes the schema.
	 * @param node the document
	 * @return {@code true} when it passes; {@code false} when it may not
	 */
	boolean passes(JsonNode node) {
		if (!this.types.isEmpty() && !this.types.contains(typeOf(node))) {
			return false;
		}
		if (node.isString()) {
			return passesString(node.stringValue());
		}
		if (node.isIntegralNumber()) {
			BigDecimal number = node.decimalValue();
			return (this.minimum == null || number.compareTo(this.minimum) >= 0)
					&& (this.maximum == null || number.compareTo(this.maximum) <= 0);
		}
		if (node.isObject()) {
			return passesObject(node);
		}
		if (node.isArray()) {
			return passesArray(node);
		}
		return node.isBoolean() || node.isNull();
	}

	private boolean passesString(String text) {
		if (this.minLength >= 0 || this.maxLength >= 0) {
			int length = text.codePointCount(0, text.length());
			if ((this.minLength >= 0 && length < this.minLength) || (this.maxLength >= 0 && length > this.maxLength)) {
				return false;
			}
		}
		return (this.enumeration == null || this.enumeration.contains(text))
				&& (this.pattern == null || this.pattern.matcher(text).find())
				&& (!this.dateTime || Rfc3339.parse(text) != null);
	}

	private boolean passesObject(JsonNode object) {
		if (this.maxProperties >= 0 && object.size() > this.maxProperties) {
			return false;
		}
		for (String name : this.required) {
			if (!object.has(name)) {
				return false;
			}
		}
		for (Map.Entry<String, JsonNode> field : object.properties()) {
			SchemaShortcut property = this.properties.get(field.getKey());
			if (property == null) {
				property = this.additionalProperties;
			}
			if (property != null && !property.passes(field.getValue())) {
				return false;
			}
			if (this.propertyNames != null && !this.propertyNames.passesString(field.getKey())) {
				return false;
			}
		}
		return true;
	}

	private boolean passesArray(JsonNode array) {
		if (this.maxItems >= 0 && array.size() > this.maxItems) {
			return false;
		}
		Set<JsonNode> seen = this.uniqueItems ? new HashSet<>() : Set.of();
		for (JsonNode element : array) {
			if ((this.items != null && !this.items.passes(element)) || (this.uniqueItems && !seen.add(element))) {
				return false;
			}
		}
		return true;
	}

	// Only what is certainly of the type: 5.0 for an integer is the validator's to judge.
	private static String typeOf(JsonNode node) {
		return switch (node.getNodeType()) {
			case STRING -> "string";
			case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
			case BOOLEAN -> "boolean";
			case OBJECT -> "object";
			case ARRAY -> "array";
			case NULL -> "null";
			default -> "unknown";
		};
	}

}
