package io.tollgate.metering.aggregation;

import java.time.Instant;
import java.util.Comparator;

import io.tollgate.contract.BucketWidth;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.UsageEvent;

/**
 * One aggregation bucket: the dimensions usage is counted by, and the bucket's start.
 *
 * @param tenantId the tenant
 * @param apiKeyId the key
 * @param provider the provider
 * @param model the model as reported
 * @param serviceTier the service tier
 * @param contextTier the context tier
 * @param bucketStart the bucket's start, aligned to its width
 */
record AggregateKey(String tenantId, String apiKeyId, Provider provider, String model, ServiceTier serviceTier,
		ContextTier contextTier, Instant bucketStart) {

	/**
	 * The order rows are written in. Every writer locks rows in this one order, so two
	 * transactions touching the same rows wait for each other instead of deadlocking.
	 */
	static final Comparator<AggregateKey> WRITE_ORDER = Comparator.comparing(AggregateKey::tenantId)
		.thenComparing(AggregateKey::bucketStart)
		.thenComparing(AggregateKey::apiKeyId)
		.thenComparing(AggregateKey::provider)
		.thenComparing(AggregateKey::model)
		.thenComparing(AggregateKey::serviceTier)
		.thenComparing(AggregateKey::contextTier);

	static AggregateKey of(UsageEvent event, BucketWidth width) {
		return new AggregateKey(event.tenantId(), event.apiKeyId(), event.provider(), event.model(),
				event.serviceTier(), event.contextTier(), width.bucketStart(event.completedAt()));
	}

	/** The same dimensions in the wider bucket that contains this one. */
	AggregateKey widen(BucketWidth width) {
		return new AggregateKey(this.tenantId, this.apiKeyId, this.provider, this.model, this.serviceTier,
				this.contextTier, width.bucketStart(this.bucketStart));
	}

}
