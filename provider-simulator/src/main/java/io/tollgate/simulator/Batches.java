package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Anthropic Message Batches held in memory. A batch created over HTTP is
 * {@code in_progress} in the create answer and has ended by the time anyone looks at it
 * again (retrieve or results), so a client sees both states without waiting; a batch
 * added by a test has already ended. Cancelling a batch that has not ended cancels all
 * its requests.
 */
final class Batches {

	private static final Duration EXPIRY = Duration.ofHours(24);

	private final ConcurrentHashMap<String, Batch> batches = new ConcurrentHashMap<>();

	static String newId() {
		return Ids.base62("msgbatch_", 24);
	}

	void add(String id, List<BatchResult> results) {
		Batch batch = new Batch(id, results);
		batch.end();
		this.batches.put(id, batch);
	}

	Batch create(List<BatchResult> results) {
		Batch batch = new Batch(newId(), results);
		this.batches.put(batch.id, batch);
		return batch;
	}

	@Nullable Batch get(String id) {
		return this.batches.get(id);
	}

	void clear() {
		this.batches.clear();
	}

	/**
	 * One batch; synchronised because a test thread and event loops may touch it at once.
	 */
	static final class Batch {

		private final String id;

		private final Instant createdAt = Instant.now();

		private List<BatchResult> results;

		private String status = "in_progress";

		private @Nullable Instant endedAt;

		private @Nullable Instant cancelInitiatedAt;

		Batch(String id, List<BatchResult> results) {
			this.id = id;
			this.results = List.copyOf(results);
		}

		String id() {
			return this.id;
		}

		synchronized void end() {
			if (this.endedAt == null) {
				this.status = "ended";
				this.endedAt = Instant.now();
			}
		}

		synchronized void cancel() {
			if (this.endedAt == null && this.cancelInitiatedAt == null) {
				this.status = "canceling";
				this.cancelInitiatedAt = Instant.now();
				List<BatchResult> canceled = new ArrayList<>(this.results.size());
				for (BatchResult result : this.results) {
					canceled.add(BatchResult.canceled(result.customId()));
				}
				this.results = List.copyOf(canceled);
			}
		}

		/** The results, ending the batch first: reading them means it is done. */
		synchronized List<BatchResult> endAndResults() {
			end();
			return this.results;
		}

		synchronized byte[] json(String baseUrl) {
			boolean ended = this.endedAt != null;
			int succeeded = 0;
			int errored = 0;
			int canceled = 0;
			int expired = 0;
			if (ended) {
				for (BatchResult result : this.results) {
					switch (result) {
						case BatchResult.Succeeded s -> succeeded++;
						case BatchResult.Errored e -> errored++;
						case BatchResult.Canceled c -> canceled++;
						case BatchResult.Expired x -> expired++;
					}
				}
			}
			String json = "{\"id\":" + Json.quote(this.id) + ",\"type\":\"message_batch\",\"processing_status\":\""
					+ this.status + "\",\"request_counts\":{\"processing\":" + (ended ? 0 : this.results.size())
					+ ",\"succeeded\":" + succeeded + ",\"errored\":" + errored + ",\"canceled\":" + canceled
					+ ",\"expired\":" + expired + "},\"ended_at\":" + timestamp(this.endedAt) + ",\"created_at\":"
					+ timestamp(this.createdAt) + ",\"expires_at\":" + timestamp(this.createdAt.plus(EXPIRY))
					+ ",\"archived_at\":null,\"cancel_initiated_at\":" + timestamp(this.cancelInitiatedAt)
					+ ",\"results_url\":"
					+ (ended ? Json.quote(baseUrl + "/v1/messages/batches/" + this.id + "/results") : "null") + "}";
			return json.getBytes(StandardCharsets.UTF_8);
		}

		private static String timestamp(@Nullable Instant instant) {
			return (instant != null) ? "\"" + instant + "\"" : "null";
		}

	}

	/** One JSONL line of the results file, newline included. */
	static byte[] resultLine(BatchResult result) {
		String body = switch (result) {
			case BatchResult.Succeeded s -> "{\"type\":\"succeeded\",\"message\":"
					+ AnthropicWire.messageJson(Json.quote(AnthropicWire.messageId()), Json.quote(s.model()),
							Tokens.of(s.script(), 0), "batch", s.script())
					+ "}";
			case BatchResult.Errored e -> "{\"type\":\"errored\",\"error\":"
					+ AnthropicWire.errorJson(e.errorType(), e.message(), Ids.anthropicRequestId()) + "}";
			case BatchResult.Canceled c -> "{\"type\":\"canceled\"}";
			case BatchResult.Expired x -> "{\"type\":\"expired\"}";
		};
		return ("{\"custom_id\":" + Json.quote(result.customId()) + ",\"result\":" + body + "}\n")
			.getBytes(StandardCharsets.UTF_8);
	}

}
