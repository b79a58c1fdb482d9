package io.tollgate.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What metering adds to one aggregation bucket (tenant, key, provider, model, service
 * tier, context tier, bucket) since its previous delta for that bucket. Billing prices
 * each delta once; published on {@link Topics#METERED_USAGE}, keyed by tenant id.
 *
 * @param deltaId deterministic id of this delta, derived by metering from the bucket and
 * the input it covers, so that a replay after a crash produces the same id and billing
 * can deduplicate
 * @param tenantId the tenant
 * @param apiKeyId the id of the key
 * @param provider the upstream provider
 * @param model the model as the provider reported it
 * @param serviceTier the provider's service tier
 * @param contextTier the context tier, decided per request
 * @param bucketStart the start of the bucket, aligned to {@code bucketWidth}
 * @param bucketWidth the width of the bucket
 * @param requests calls added; equals {@code successes + upstreamErrors + clientAborts}
 * @param successes calls that succeeded
 * @param upstreamErrors calls the provider failed
 * @param clientAborts calls the client aborted
 * @param tokens the token counts added
 * @param producedAt when metering produced the delta
 */
public record MeteredUsage(@JsonProperty("delta_id") String deltaId, @JsonProperty("tenant_id") String tenantId,
		@JsonProperty("api_key_id") String apiKeyId, @JsonProperty("provider") Provider provider,
		@JsonProperty("model") String model, @JsonProperty("service_tier") ServiceTier serviceTier,
		@JsonProperty("context_tier") ContextTier contextTier, @JsonProperty("bucket_start") Instant bucketStart,
		@JsonProperty("bucket_width") BucketWidth bucketWidth, @JsonProperty("requests") long requests,
		@JsonProperty("successes") long successes, @JsonProperty("upstream_errors") long upstreamErrors,
		@JsonProperty("client_aborts") long clientAborts, @JsonProperty("tokens") TokenCounts tokens,
		@JsonProperty("produced_at") Instant producedAt) implements ContractEvent {

	@Override
	public String id() {
		return this.deltaId;
	}

	@Override
	public String partitionKey() {
		return this.tenantId;
	}

	@Override
	public Instant eventTime() {
		return this.producedAt;
	}

}
