package io.tollgate.simulator;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few request fields the simulator acts on, read with a streaming parser that skips
 * everything else: the benchmark sends thousands of requests a second, and building a
 * tree of each prompt would be wasted work.
 *
 * @param model top-level {@code model}, if present
 * @param stream top-level {@code stream}
 * @param includeUsage {@code stream_options.include_usage}
 */
record RequestBody(@Nullable String model, boolean stream, boolean includeUsage) {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	/**
	 * Parses a JSON object body.
	 * @param body the bytes
	 * @return the fields
	 * @throws JacksonException if the body is not a JSON object
	 */
	static RequestBody parse(byte[] body) {
		String model = null;
		boolean stream = false;
		boolean includeUsage = false;
		try (JsonParser parser = MAPPER.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalArgumentException("The request body must be a JSON object");
			}
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (name) {
					case "model" -> model = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
					case "stream" -> stream = (value == JsonToken.VALUE_TRUE);
					case "stream_options" ->
						includeUsage = (value == JsonToken.START_OBJECT) && readIncludeUsage(parser);
					default -> parser.skipChildren();
				}
			}
			if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
				throw new IllegalArgumentException("The request body must be one JSON object");
			}
		}
		return new RequestBody(model, stream, includeUsage);
	}

	private static boolean readIncludeUsage(JsonParser parser) {
		boolean includeUsage = false;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if ("include_usage".equals(name)) {
				includeUsage = (value == JsonToken.VALUE_TRUE);
			}
			else {
				parser.skipChildren();
			}
		}
		return includeUsage;
	}

}
