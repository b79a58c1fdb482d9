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
