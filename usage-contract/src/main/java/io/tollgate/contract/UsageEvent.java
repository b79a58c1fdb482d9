package io.tollgate.contract;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One completed (or aborted) model call, as metered by the gateway or reported through
 * the ingest API. Published on {@link Topics#USAGE}, keyed by tenant id.
 *
 * @param eventId unique id assigned once at the source, a UUID (version 7, see
 * {@link EventIds#uuidV7()}) in canonical lower-case form; the idempotency key everywhere
 * @param tenantId the tenant
 * @param apiKeyId the id of the Tollgate key used, never the secret
 * @param labels free-form labels the caller attached; empty when none
 * @param provider the upstream provider
 * @param model the model exactly as the provider reported it
 * @param endpoint the provider API called
 * @param serviceTier the provider's service tier
 * @param streamed whether the response was streamed
 * @param tokens the normalised token counts
 * @param totalInputTokens input + cache writes + cache reads, the basis of the context
 * tier
 * @param contextTier {@code long} when the total input exceeds the model's long-context
 * threshold
 * @param outcome how the call ended
 * @param httpStatus the HTTP status returned to the client
 * @param stopReason the provider's stop or finish reason, when it gave one
 * @param requestFingerprint a hash of the request that lets alerting see the same request
 * repeated (runaway loops), when computed
 * @param startedAt when the gateway received the call
 * @param completedAt when the call completed or was aborted
 * @param upstreamLatencyMs time spent waiting for the provider, in milliseconds
 */
public record UsageEvent(@JsonProperty("event_id") String eventId, @JsonProperty("tenant_id") String tenantId,
		@JsonProperty("api_key_id") String apiKeyId, @JsonProperty("labels") Map<String, String> labels,
		@JsonProperty("provider") Provider provider, @JsonProperty("model") String model,
		@JsonProperty("endpoint") Endpoint endpoint, @JsonProperty("service_tier") ServiceTier serviceTier,
		@JsonProperty("streamed") boolean streamed, @JsonProperty("tokens") TokenCounts tokens,
		@JsonProperty("total_input_tokens") long totalInputTokens,
		@JsonProperty("context_tier") ContextTier contextTier, @JsonProperty("outcome") Outcome outcome,
		@JsonProperty("http_status") int httpStatus, @JsonProperty("stop_reason") @Nullable String stopReason,
		@JsonProperty("request_fingerprint") @Nullable String requestFingerprint,
		@JsonProperty("started_at") Instant startedAt, @JsonProperty("completed_at") Instant completedAt,
		@JsonProperty("upstream_latency_ms") long upstreamLatencyMs) implements ContractEvent {

	// Absent labels arrive as null: an empty map spares every consumer a null check.
	// The copy keeps the event immutable and its JSON in the caller's order.
	public UsageEvent {
		labels = (labels != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(labels)) : Map.of();
	}

	/**
	 * A builder for a new event, with a fresh {@link EventIds#uuidV7() id}, no labels,
	 * the standard service and context tiers, a successful non-streamed outcome with
	 * status 200, and {@code total_input_tokens} derived from the token counts unless
	 * set.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from this event's values, to derive a changed copy.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return new Builder().eventId(this.eventId)
			.tenantId(this.tenantId)
			.apiKeyId(this.apiKeyId)
			.labels(this.labels)
			.provider(this.provider)
			.model(this.model)
			.endpoint(this.endpoint)
			.serviceTier(this.serviceTier)
			.streamed(this.streamed)
			.tokens(this.tokens)
			.totalInputTokens(this.totalInputTokens)
			.contextTier(this.contextTier)
			.outcome(this.outcome)
			.httpStatus(this.httpStatus)
			.stopReason(this.stopReason)
			.requestFingerprint(this.requestFingerprint)
			.startedAt(this.startedAt)
			.completedAt(this.completedAt)
			.upstreamLatencyMs(this.upstreamLatencyMs);
	}

	/**
	 * Builds a {@link UsageEvent}; nothing is validated until {@link EventValidator} or
	 * the serializer sees the event, so tests can build invalid ones.
	 */
	public static final class Builder {

		private String eventId = EventIds.uuidV7();

		private String tenantId;

		private String apiKeyId;

		private Map<String, String> labels = Map.of();

		private Provider provider;

		private String model;

		private Endpoint endpoint;

		private ServiceTier serviceTier = ServiceTier.STANDARD;

		private boolean streamed;

		private TokenCounts tokens;

		private @Nullable Long totalInputTokens;

		private ContextTier contextTier = ContextTier.STANDARD;

		private Outcome outcome = Outcome.SUCCESS;

		private int httpStatus = 200;

		private @Nullable String stopReason;

		private @Nullable String requestFingerprint;

		private Instant startedAt;

		private Instant completedAt;

		private long upstreamLatencyMs;

		private Builder() {
		}

		public Builder eventId(String eventId) {
			this.eventId = eventId;
			return this;
		}

		public Builder tenantId(String tenantId) {
			this.tenantId = tenantId;
			return this;
		}

		public Builder apiKeyId(String apiKeyId) {
			this.apiKeyId = apiKeyId;
			return this;
		}

		public Builder labels(Map<String, String> labels) {
			this.labels = labels;
			return this;
		}

		public Builder provider(Provider provider) {
			this.provider = provider;
			return this;
		}

		public Builder model(String model) {
			this.model = model;
			return this;
		}

		public Builder endpoint(Endpoint endpoint) {
			this.endpoint = endpoint;
			return this;
		}

		public Builder serviceTier(ServiceTier serviceTier) {
			this.serviceTier = serviceTier;
			return this;
		}

		public Builder streamed(boolean streamed) {
			this.streamed = streamed;
			return this;
		}

		public Builder tokens(TokenCounts tokens) {
			this.tokens = tokens;
			return this;
		}

		/**
		 * Sets the total input; without it the builder uses
		 * {@link TokenCounts#totalInput()}.
		 * @param totalInputTokens the total input tokens
		 * @return this builder
		 */
		public Builder totalInputTokens(long totalInputTokens) {
			this.totalInputTokens = totalInputTokens;
			return this;
		}

		public Builder contextTier(ContextTier contextTier) {
			this.contextTier = contextTier;
			return this;
		}

		public Builder outcome(Outcome outcome) {
			this.outcome = outcome;
			return this;
		}

		public Builder httpStatus(int httpStatus) {
			this.httpStatus = httpStatus;
			return this;
		}

		public Builder stopReason(@Nullable String stopReason) {
			this.stopReason = stopReason;
			return this;
		}

		public Builder requestFingerprint(@Nullable String requestFingerprint) {
			this.requestFingerprint = requestFingerprint;
			return this;
		}

		public Builder startedAt(Instant startedAt) {
			this.startedAt = startedAt;
			return this;
		}

		public Builder completedAt(Instant completedAt) {
			this.completedAt = completedAt;
			return this;
		}

		public Builder upstreamLatencyMs(long upstreamLatencyMs) {
			this.upstreamLatencyMs = upstreamLatencyMs;
			return this;
		}

		public UsageEvent build() {
			long totalInput = (this.totalInputTokens != null) ? this.totalInputTokens
					: (this.tokens != null) ? this.tokens.totalInput() : 0;
			return new UsageEvent(this.eventId, this.tenantId, this.apiKeyId, this.labels, this.provider, this.model,
					this.endpoint, this.serviceTier, this.streamed, this.tokens, totalInput, this.contextTier,
					this.outcome, this.httpStatus, this.stopReason, this.requestFingerprint, this.startedAt,
					this.completedAt, this.upstreamLatencyMs);
		}

	}

	@Override
	public String id() {
		return this.eventId;
	}

	@Override
	public String partitionKey() {
		return this.tenantId;
	}

	@Override
	public Instant eventTime() {
		return this.completedAt;
	}

}
