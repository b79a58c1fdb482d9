package io.tollgate.support.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The settings every Tollgate service shares ({@code tollgate.service.*}).
 *
 * @param internalToken the credential the gateway's front door adds to every forwarded
 * request ({@code TOLLGATE_INTERNAL_TOKEN}): a service behind the front door answers
 * nothing else, so there is no default on purpose; the gateway presents it
 * @param behindFrontDoor whether the service admits only requests the gateway forwarded
 * (every service but the gateway, which is the front door)
 * @param outbox how the outbox relay publishes to Kafka
 */
@ConfigurationProperties("tollgate.service")
@Validated
public record ServiceSupportProperties(@DefaultValue("") String internalToken,
		@DefaultValue("true") boolean behindFrontDoor, @Valid @DefaultValue Outbox outbox) {

	/**
	 * A service behind the front door must know the token it checks.
	 * @return whether the token is set where it is needed
	 */
	@AssertTrue(message = "set TOLLGATE_INTERNAL_TOKEN (the same value as the gateway's)")
	public boolean isInternalTokenSet() {
		return !this.behindFrontDoor || !this.internalToken.isBlank();
	}

	/**
	 * The outbox relay.
	 *
	 * @param enabled whether the service has an outbox (the {@code outbox} and
	 * {@code consumer_offsets} tables) and runs the relay
	 * @param batchSize most records one relay round publishes
	 * @param pollInterval how often the relay looks for records nobody signalled
	 */
	public record Outbox(@DefaultValue("true") boolean enabled, @DefaultValue("2000") @Min(1) int batchSize,
			@DefaultValue("200ms") Duration pollInterval) {

	}

}
