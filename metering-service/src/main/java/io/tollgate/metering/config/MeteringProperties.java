package io.tollgate.metering.config;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the metering service, bound from {@code tollgate.metering.*}
 * (environment variables in the service's README) and validated at start-up.
 *
 * @param aggregation how usage events are aggregated
 * @param retention how long minute buckets are kept
 * @param topics partitions and replicas of the topics metering creates
 * @param cloudEventsSource the CloudEvents {@code source} of the deltas this deployment
 * publishes; distinct per deployment when several share one Kafka cluster
 */
@ConfigurationProperties("tollgate.metering")
@Validated
public record MeteringProperties(@Valid @DefaultValue Aggregation aggregation, @Valid @DefaultValue Retention retention,
		@Valid @DefaultValue Topics topics, @DefaultValue("/tollgate/metering") URI cloudEventsSource) {

	/**
	 * Aggregation of the usage topic.
	 *
	 * @param lateness how old (by {@code completed_at}) an event may be and still count;
	 * older ones go to the dead-letter topic as {@code too_late}
	 * @param maxFutureSkew how far ahead of metering's clock an event's
	 * {@code completed_at} may be; further ones go to the dead-letter topic as
	 * {@code too_early}
	 * @param concurrency consumer threads in this instance (each owns some partitions)
	 */
	public record Aggregation(@DefaultValue("35d") Duration lateness, @DefaultValue("5m") Duration maxFutureSkew,
			@DefaultValue("2") @Min(1) @Max(64) int concurrency) {

	}

	/**
	 * Retention.
	 *
	 * @param minuteBuckets how long minute buckets are kept; hour and day buckets are
	 * kept for good
	 * @param purgeInterval how often expired minute buckets and dedup entries are purged
	 * @param purgeChunk most rows one purge statement deletes (keeps transactions short)
	 */
	public record Retention(@DefaultValue("14d") Duration minuteBuckets, @DefaultValue("10m") Duration purgeInterval,
			@DefaultValue("50000") @Min(100) int purgeChunk) {

	}

	/**
	 * Topics metering creates when they are missing.
	 *
	 * @param partitions partitions of the usage and metered-usage topics
	 * @param replicas replication factor
	 */
	public record Topics(@DefaultValue("12") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas) {

	}

}
