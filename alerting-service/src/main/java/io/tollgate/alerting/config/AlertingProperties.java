package io.tollgate.alerting.config;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The alerting service's settings ({@code tollgate.alerting}).
 *
 * @param budget the spend-topic consumer that raises budget alerts
 * @param loops the usage-topic consumer that detects runaway loops
 * @param topics how the topics alerting creates are laid out
 * @param webhooks how webhooks are signed, sent and retried
 * @param cloudEventsSource the CloudEvents source of what alerting publishes
 */
@ConfigurationProperties("tollgate.alerting")
@Validated
public record AlertingProperties(@Valid @DefaultValue Budget budget, @Valid @DefaultValue Loops loops,
		@Valid @DefaultValue Topics topics, @Valid @DefaultValue Webhooks webhooks,
		@DefaultValue("/tollgate/alerting") URI cloudEventsSource) {

	/**
	 * The budget alert consumer and its forecast alert.
	 *
	 * @param concurrency consumer threads in this instance (each owns some partitions)
	 * @param forecastMinElapsedPercent no forecast alert before this share of the period
	 * has passed (a projection from the first hours says little)
	 * @param forecastMinSpend no forecast alert before this much was spent in the period
	 * (USD; a projection from a few cents says little)
	 * @param forecastRearmAfter after a forecast alert, the projection must stay under
	 * the cap this long before another can fire in the same period
	 */
	public record Budget(@DefaultValue("2") @Min(1) @Max(64) int concurrency,
			@DefaultValue("10") @Min(0) @Max(100) int forecastMinElapsedPercent,
			@DefaultValue("1.00") @DecimalMin("0") BigDecimal forecastMinSpend,
			@DefaultValue("6h") Duration forecastRearmAfter) {

	}

	/**
	 * Runaway-loop detection, per API key (see the service README for what each detector
	 * looks for).
	 *
	 * @param enabled whether the usage topic is read at all
	 * @param concurrency consumer threads in this instance
	 * @param repeatThreshold identical requests that make a loop
	 * @param repeatWindow within how long
	 * @param growthCalls consecutive calls with growing input and little output that make
	 * a loop
	 * @param growthMaxOutputPercent most output of such a call, in percent of its input
	 * @param growthMaxGap longest gap between such calls (a person takes longer)
	 * @param cooldown least time between two reports for one key
	 * @param escalateWithin a detection this soon after the previous one pauses the key;
	 * the first one only warns
	 * @param pauseFor how long a loop pauses the key
	 */
	public record Loops(@DefaultValue("true") boolean enabled, @DefaultValue("2") @Min(1) @Max(64) int concurrency,
			@DefaultValue("10") @Min(2) int repeatThreshold, @DefaultValue("10m") Duration repeatWindow,
			@DefaultValue("20") @Min(3) int growthCalls,
			@DefaultValue("5") @Min(0) @Max(100) int growthMaxOutputPercent, @DefaultValue("5s") Duration growthMaxGap,
			@DefaultValue("5m") Duration cooldown, @DefaultValue("1h") Duration escalateWithin,
			@DefaultValue("15m") Duration pauseFor) {

	}

	/**
	 * The layout of the topics alerting creates (its dead letters).
	 *
	 * @param partitions partitions per topic
	 * @param replicas replicas per partition
	 */
	public record Topics(@DefaultValue("12") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas) {

	}

	/**
	 * Webhooks.
	 *
	 * @param secretKey the key that encrypts endpoint secrets at rest: base64 of 32
	 * random bytes ({@code openssl rand -base64 32}); required, because a signing secret
	 * cannot be hashed and must not be stored in the clear
	 * @param timeout how long one attempt may take, connection and response together
	 * @param retrySchedule the wait before each attempt, the first included (Svix's
	 * schedule: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); each wait but the
	 * first is lengthened by up to a fifth at random
	 * @param allowedNetworks CIDRs where loopback and private addresses, and plain http,
	 * are allowed (by default only https to public addresses is)
	 * @param disableAfter an endpoint that has failed every delivery for this long is
	 * disabled, and its tenant told through its other endpoints
	 * @param rotationGrace after a secret rotation, how long messages are signed with the
	 * old secret as well as the new one
	 * @param pollInterval how often the queue is looked at when nothing woke the sender
	 * @param batchSize most deliveries one round claims
	 * @param concurrency most attempts in flight at once; one slow endpoint holds one of
	 * them, never the others' turn
	 */
	public record Webhooks(@DefaultValue("") String secretKey, @DefaultValue("15s") Duration timeout, @DefaultValue( {
			"0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h" }) List<Duration> retrySchedule,
			@DefaultValue List<String> allowedNetworks, @DefaultValue("5d") Duration disableAfter,
			@DefaultValue("24h") Duration rotationGrace, @DefaultValue("500ms") Duration pollInterval,
			@DefaultValue("100") @Min(1) @Max(10000) int batchSize,
			@DefaultValue("32") @Min(1) @Max(1024) int concurrency){

		/**
		 * The key's bytes.
		 * @return 32 bytes
		 */
		public byte[] secretKeyBytes() {
			return Base64.getDecoder().decode(this.secretKey.strip());
		}

		@AssertTrue(message = "must be set (TOLLGATE_ALERTING_SECRET_KEY): base64 of 32 random bytes, such as the "
				+ "output of 'openssl rand -base64 32'; it encrypts webhook secrets at rest")
		boolean isSecretKey() {
			try {
				return secretKeyBytes().length == 32;
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}

		@AssertTrue(message = "must list at least one wait, all of them zero or more")
		boolean isRetrySchedule() {
			return !this.retrySchedule.isEmpty() && this.retrySchedule.stream().noneMatch(Duration::isNegative);
		}

		@AssertTrue(message = "timeout, disable-after, rotation-grace and poll-interval must be positive")
		boolean isDurations() {
			return List.of(this.timeout, this.disableAfter, this.rotationGrace, this.pollInterval)
				.stream()
				.allMatch((duration) -> !duration.isNegative() && !duration.isZero());
		}

	}

}
