package io.tollgate.contract;

import java.net.URI;

/**
 * A Kafka topic of the contract: its name, what its records hold and how they are
 * described as CloudEvents. The constants live in {@link Topics}.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 * @param name the topic name; the {@code .v1} suffix is the major version of the value's
 * schema, bumped (as a new topic) only for an incompatible change
 * @param keyType the record key type
 * @param valueType the record value type
 * @param keyDescription what the key holds and why, e.g. "tenant_id: keeps a tenant's
 * events in order on one partition"
 * @param compacted whether the topic is log-compacted (only the latest value per key
 * kept)
 * @param cloudEventType the CloudEvents {@code type} of its values
 * @param schemaPath the classpath location of the values' JSON Schema
 */
public record Topic<K, V>(String name, Class<K> keyType, Class<V> valueType, String keyDescription, boolean compacted,
		String cloudEventType, String schemaPath) {

	/** The suffix of dead-letter topics, see {@link #deadLetter()}. */
	public static final String DEAD_LETTER_SUFFIX = ".dlt";

	/**
	 * The topic that receives this topic's records that consumers could not accept, with
	 * the reason in the record headers. The convention is {@code <topic>.dlt}, matching
	 * the dotted topic names; Spring Kafka's default ({@code <topic>-dlt}) must therefore
	 * be overridden with a destination resolver that uses this method.
	 * @return the dead-letter topic name
	 */
	public String deadLetter() {
		return this.name + DEAD_LETTER_SUFFIX;
	}

	/**
	 * The schema's {@code $id}, written as the CloudEvents {@code dataschema}.
	 * @return e.g. {@code urn:tollgate:schema:usage-event.v1}
	 */
	public URI dataSchema() {
		String file = this.schemaPath.substring(this.schemaPath.lastIndexOf('/') + 1);
		return URI.create("urn:tollgate:schema:" + file.replace(".schema.json", ""));
	}

}
