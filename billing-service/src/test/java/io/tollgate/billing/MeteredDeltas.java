package io.tollgate.billing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.BucketWidth;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.EventIds;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.Topics;
import io.tollgate.testsupport.TestClock;
import io.tollgate.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Metered-usage deltas as metering publishes them, for billing's tests.
 */
public final class MeteredDeltas {

	private MeteredDeltas() {
	}

	/** A one-minute delta of one Anthropic model with a fresh id. */
	public static MeteredUsage delta(String tenant, String key, String model, ServiceTier tier, ContextTier context,
			Instant bucket, TokenCounts tokens) {
		return delta(tenant, key, Provider.ANTHROPIC, model, tier, context, bucket, tokens);
	}

	/** A one-minute delta of one model with a fresh id. */
	public static MeteredUsage delta(String tenant, String key, Provider provider, String model, ServiceTier tier,
			ContextTier context, Instant bucket, TokenCounts tokens) {
		return new MeteredUsage(EventIds.uuidV7(), tenant, key, provider, model, tier, context,
				bucket.truncatedTo(ChronoUnit.MINUTES), BucketWidth.ONE_MINUTE, 1, 1, 0, 0, tokens,
				TestClock.shared().instant());
	}

	/** Input tokens only. */
	public static TokenCounts input(long tokens) {
		return new TokenCounts(tokens, 0, 0, 0, 0, 0, 0);
	}

	/**
	 * Publishes deltas to the metered-usage topic, keyed by tenant, acknowledged by all.
	 */
	public static void publish(List<MeteredUsage> deltas) {
		try (KafkaProducer<String, MeteredUsage> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new ContractSerializer<>())) {
			deltas.forEach((delta) -> producer
				.send(new ProducerRecord<>(Topics.METERED_USAGE.name(), delta.tenantId(), delta)));
			producer.flush();
		}
	}

	/** The start of the calendar month in UTC containing an instant. */
	public static Instant utcMonthStart(Instant at) {
		return at.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
	}

	/**
	 * A minute bucket shortly before now but inside {@code periodStart}'s period, so a
	 * test run just after midnight does not file its usage in the previous period.
	 */
	public static Instant recentBucketFrom(Instant periodStart) {
		Instant bucket = TestClock.shared().instant().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES);
		return bucket.isBefore(periodStart) ? periodStart : bucket;
	}

	/** The start of the UTC day containing an instant. */
	public static Instant utcDayStart(Instant at) {
		return ZonedDateTime.ofInstant(at, ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
	}

}
