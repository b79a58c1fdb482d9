package io.tollgate.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The published JSON Schemas, loaded from the classpath as consumers would, with format
 * assertions on: in draft 2020-12 "format" is only an annotation unless asked for.
 */
final class JsonSchemas {

	private static final SchemaRegistry REGISTRY = SchemaRegistry
		.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

	private JsonSchemas() {
	}

	static Schema of(Topic<?, ?> topic) {
		return SCHEMAS.computeIfAbsent(topic.schemaPath(), JsonSchemas::load);
	}

	private static Schema load(String path) {
		try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("No schema at " + path);
			}
			return REGISTRY.getSchema(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Schema of(Class<? extends ContractEvent> type) {
		return of(Topics.forEventType(type));
	}

	/** The schema's complaints about a JSON document, as readable strings. */
	static List<String> errors(Class<? extends ContractEvent> type, String json) {
		return of(type)
			.validate(json, InputFormat.JSON,
					(context) -> context.executionConfig((config) -> config.formatAssertionsEnabled(true)))
			.stream()
			.map(Object::toString)
			.toList();
	}

}
