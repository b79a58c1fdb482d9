package io.tollgate.contract;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Edits of an event's JSON tree by dotted path, to build invalid samples from valid ones.
 */
final class Json {

	private Json() {
	}

	static ObjectNode of(ContractEvent event) {
		EventCodec codec = EventCodec.shared();
		return (ObjectNode) codec.mapper().readTree(codec.encode(event));
	}

	static ObjectNode set(ObjectNode root, String path, @Nullable Object value) {
		ObjectNode parent = parent(root, path);
		String name = path.substring(path.lastIndexOf('.') + 1);
		parent.set(name, node(value));
		return root;
	}

	static ObjectNode remove(ObjectNode root, String path) {
		parent(root, path).remove(path.substring(path.lastIndexOf('.') + 1));
		return root;
	}

	private static ObjectNode parent(ObjectNode root, String path) {
		ObjectNode node = root;
		String[] names = path.split("\\.");
		for (int i = 0; i < names.length - 1; i++) {
			node = (ObjectNode) node.get(names[i]);
		}
		return node;
	}

	private static JsonNode node(@Nullable Object value) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		return switch (value) {
			case null -> nodes.nullNode();
			case JsonNode node -> node;
			case String text -> nodes.stringNode(text);
			case Integer number -> nodes.numberNode(number);
			case Long number -> nodes.numberNode(number);
			case Double number -> nodes.numberNode(number);
			case Boolean bool -> nodes.booleanNode(bool);
			case List<?> list -> {
				var array = nodes.arrayNode();
				list.forEach((element) -> array.add(node(element)));
				yield array;
			}
			default -> throw new IllegalArgumentException("No JSON for " + value.getClass());
		};
	}

}
