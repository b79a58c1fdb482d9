package io.tollgate.gateway.proxy.usage;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads only the parts of a JSON document that usage extraction needs.
 *
 * <p>
 * Algorithm: one pass of Jackson's streaming parser, guided by a {@link Pick} tree. At an
 * object, the members the pick names are read (recursively, with their own pick) into a
 * tree node; every other member is passed over with {@code skipChildren()}, which scans
 * it without materialising its strings. A pick applied to an array applies to each
 * element. A streamed chunk whose bulk is generated text therefore costs one scan and a
 * handful of small nodes, not a full tree, and a {@code response.completed} event does
 * not build its whole output.
 */
final class PrunedJson {

	/** Keep the whole value. */
	static final Pick ALL = new All();

	private static final JsonFactory FACTORY = new JsonFactory();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private PrunedJson() {
	}

	/**
	 * Which parts of a value to keep.
	 */
	sealed interface Pick permits All, Fields {

	}

	/** Keeps the value entirely. */
	record All() implements Pick {
	}

	/**
	 * Keeps only the named members of an object (of each object, for an array), each
	 * pruned by its own pick.
	 *
	 * @param members member name to the pick for its value
	 */
	record Fields(Map<String, Pick> members) implements Pick {
	}

	static Pick fields(Map<String, Pick> members) {
		return new Fields(members);
	}

	/**
	 * Reads the first JSON value in the given bytes, pruned.
	 * @param bytes the bytes
	 * @param offset where the value starts
	 * @param length how many bytes belong to the document
	 * @param pick what to keep
	 * @return the pruned value, or null when the bytes are empty or not well-formed JSON
	 * (the caller treats that as "no usage here", never as an error of the call)
	 */
	static @Nullable JsonNode read(byte[] bytes, int offset, int length, Pick pick) {
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), bytes, offset, length)) {
			JsonToken token = parser.nextToken();
			return (token != null) ? readValue(parser, token, pick) : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static JsonNode readValue(JsonParser parser, JsonToken token, Pick pick) {
		return switch (token) {
			case START_OBJECT -> readObject(parser, pick);
			case START_ARRAY -> readArray(parser, pick);
			case VALUE_STRING -> NODES.stringNode(parser.getString());
			case VALUE_NUMBER_INT -> (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
					? NODES.numberNode(parser.getBigIntegerValue()) : NODES.numberNode(parser.getLongValue());
			case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
			case VALUE_TRUE -> NODES.booleanNode(true);
			case VALUE_FALSE -> NODES.booleanNode(false);
			default -> NODES.nullNode();
		};
	}

	private static ObjectNode readObject(JsonParser parser, Pick pick) {
		ObjectNode object = NODES.objectNode();
		@Nullable Map<String, Pick> members = (pick instanceof Fields fields) ? fields.members() : null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			@Nullable Pick memberPick = (members != null) ? members.get(name) : ALL;
			JsonToken valueToken = parser.nextToken();
			if (memberPick == null) {
				parser.skipChildren();
			}
			else {
				// set() replaces: with duplicate keys the last one wins, as in most
				// JSON readers.
				object.set(name, readValue(parser, valueToken, memberPick));
			}
		}
		return object;
	}

	private static ArrayNode readArray(JsonParser parser, Pick pick) {
		ArrayNode array = NODES.arrayNode();
		JsonToken token;
		while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
			array.add(readValue(parser, token, pick));
		}
		return array;
	}

	/**
	 * A token count: the member's integral value, zero when it is absent, null, not a
	 * number or negative.
	 * @param parent the object holding the member, may be null
	 * @param name the member name
	 * @return the count
	 */
	static long count(@Nullable JsonNode parent, String name) {
		JsonNode node = (parent != null) ? parent.get(name) : null;
		if (node == null || !node.isNumber() || !node.canConvertToLong()) {
			return 0;
		}
		return Math.max(0, node.longValue());
	}

	/**
	 * Whether the member is present with a numeric value.
	 * @param parent the object holding the member
	 * @param name the member name
	 * @return whether a count is present
	 */
	static boolean hasCount(JsonNode parent, String name) {
		JsonNode node = parent.get(name);
		return node != null && node.isNumber();
	}

	/**
	 * A string member.
	 * @param parent the object holding the member, may be null
	 * @param name the member name
	 * @return its value when it is a string, otherwise null
	 */
	static @Nullable String text(@Nullable JsonNode parent, String name) {
		JsonNode node = (parent != null) ? parent.get(name) : null;
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

	/**
	 * An object member.
	 * @param parent the object holding the member, may be null
	 * @param name the member name
	 * @return its value when it is an object, otherwise null
	 */
	static @Nullable JsonNode object(@Nullable JsonNode parent, String name) {
		JsonNode node = (parent != null) ? parent.get(name) : null;
		return (node != null && node.isObject()) ? node : null;
	}

	/**
	 * Normalises an OpenAI usage object. Chat completions name its parts {@code prompt}
	 * and {@code completion}, the Responses API {@code input} and {@code output}; the
	 * shape is the same: input includes cached and cache-written tokens, output includes
	 * reasoning.
	 * @param inputName {@code prompt} or {@code input}
	 * @param outputName {@code completion} or {@code output}
	 */
	static ExtractedUsage openAiUsage(@Nullable String model, @Nullable JsonNode reported, String inputName,
			String outputName, @Nullable String stopReason, @Nullable String serviceTier) {
		if (reported == null) {
			return new ExtractedUsage(model, 0, 0, 0, 0, 0, 0, 0, stopReason, serviceTier, false);
		}
		JsonNode inputDetails = object(reported, inputName + "_tokens_details");
		long cached = count(inputDetails, "cached_tokens");
		long written = count(inputDetails, "cache_write_tokens");
		long uncached = Math.max(0, count(reported, inputName + "_tokens") - cached - written);
		long reasoning = count(object(reported, outputName + "_tokens_details"), "reasoning_tokens");
		return new ExtractedUsage(model, uncached, count(reported, outputName + "_tokens"), written, 0, cached,
				reasoning, 0, stopReason, serviceTier, true);
	}

}
