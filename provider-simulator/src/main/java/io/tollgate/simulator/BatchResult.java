package io.tollgate.simulator;

import java.util.Objects;

/**
 * One line of an Anthropic Message Batch's results ({@code GET
 * /v1/messages/batches/{id}/results}), one per request of the batch, matched by
 * {@code custom_id}.
 */
public sealed interface BatchResult
		permits BatchResult.Succeeded, BatchResult.Errored, BatchResult.Canceled, BatchResult.Expired {

	/**
	 * The id the client gave the request in the batch.
	 * @return the custom id
	 */
	String customId();

	/**
	 * A request that produced a Message; its usage comes from the script (input tokens
	 * must be explicit) and its {@code service_tier} is always {@code batch}.
	 * @param customId the client's id for the request
	 * @param model the model the Message reports
	 * @param script the usage and stop reason of the Message
	 * @return the result
	 */
	static BatchResult succeeded(String customId, String model, Script script) {
		return new Succeeded(customId, model, script);
	}

	/**
	 * A request that failed, e.g. {@code invalid_request_error}.
	 * @param customId the client's id for the request
	 * @param errorType the Anthropic error type
	 * @param message the error message
	 * @return the result
	 */
	static BatchResult errored(String customId, String errorType, String message) {
		return new Errored(customId, errorType, message);
	}

	static BatchResult canceled(String customId) {
		return new Canceled(customId);
	}

	static BatchResult expired(String customId) {
		return new Expired(customId);
	}

	/**
	 * {@code {"type":"succeeded","message":{...}}}.
	 *
	 * @param customId the client's id for the request
	 * @param model the model the Message reports
	 * @param script the usage and stop reason of the Message
	 */
	record Succeeded(String customId, String model, Script script) implements BatchResult {

		public Succeeded {
			Objects.requireNonNull(customId, "customId");
			Objects.requireNonNull(model, "model");
			if (script.inputTokens() == Script.DERIVED) {
				// There is no request body to derive it from: a batch test states its
				// counts.
				throw new IllegalArgumentException("A batch result needs explicit input tokens");
			}
		}

	}

	/**
	 * {@code {"type":"errored","error":{"type":"error","error":{"type":..,"message":..},"request_id":..}}}.
	 *
	 * @param customId the client's id for the request
	 * @param errorType the Anthropic error type
	 * @param message the error message
	 */
	record Errored(String customId, String errorType, String message) implements BatchResult {
	}

	/**
	 * {@code {"type":"canceled"}}.
	 *
	 * @param customId the client's id for the request
	 */
	record Canceled(String customId) implements BatchResult {
	}

	/**
	 * {@code {"type":"expired"}}.
	 *
	 * @param customId the client's id for the request
	 */
	record Expired(String customId) implements BatchResult {
	}

}
