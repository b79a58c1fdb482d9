package io.tollgate.support.outbox;

import java.util.Base64;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Appends records to the outbox. Called inside the caller's transaction, so the records
 * exist exactly when the writes they describe do.
 */
public class Outbox {

	private final DatabaseClient db;

	/**
	 * Creates the outbox over the service's database, which must have the table: <pre>
	 * CREATE TABLE outbox (id bigserial PRIMARY KEY, topic text NOT NULL, record_key bytea,
	 *     record_value bytea, record_headers bytea NOT NULL,
	 *     created_at timestamptz NOT NULL DEFAULT now());
	 * </pre>
	 * @param db the database client
	 */
	public Outbox(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Appends records, in order, with one statement.
	 * @param records the records
	 * @return completes when they are written (in the caller's transaction)
	 */
	public Mono<Void> append(List<OutboxRecord> records) {
		if (records.isEmpty()) {
			return Mono.empty();
		}
		int size = records.size();
		String[] topics = new String[size];
		// bytea[] has no array codec in r2dbc-postgresql: the bytes travel as base64
		// text.
		String[] keys = new String[size];
		String[] values = new String[size];
		String[] headers = new String[size];
		Base64.Encoder base64 = Base64.getEncoder();
		for (int i = 0; i < size; i++) {
			OutboxRecord record = records.get(i);
			topics[i] = record.topic();
			keys[i] = (record.key() != null) ? base64.encodeToString(record.key()) : null;
			values[i] = (record.value() != null) ? base64.encodeToString(record.value()) : null;
			headers[i] = base64.encodeToString(OutboxRecord.encodeHeaders(record.headers()));
		}
		return this.db
			.sql("INSERT INTO outbox (topic, record_key, record_value, record_headers) "
					+ "SELECT t, decode(k, 'base64'), decode(v, 'base64'), decode(h, 'base64') "
					+ "FROM unnest(:topics::text[], :keys::text[], :values::text[], :headers::text[]) "
					+ "WITH ORDINALITY AS r(t, k, v, h, n) ORDER BY n")
			.bind("topics", topics)
			.bind("keys", keys)
			.bind("values", values)
			.bind("headers", headers)
			.fetch()
			.rowsUpdated()
			.then();
	}

}
