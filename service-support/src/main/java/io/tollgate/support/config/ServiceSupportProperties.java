package io.tollgate.support.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The settings every service behind the gateway shares ({@code tollgate.service.*}).
 *
 * @param internalToken the credential the gateway's front door adds to every forwarded
 * request ({@code TOLLGATE_INTERNAL_TOKEN}); the service answers nothing else, so there
 * is no default on purpose
 * @param outbox how the outbox relay publishes to Kafka
 */
@ConfigurationProperties("tollgate.service")
@Validated
public record ServiceSupportProperties(
		@NotBlank(message = "set TOLLGATE_INTERNAL_TOKEN (the same value as the gateway's)") String internalToken,
		@Valid @DefaultValue Outbox outbox) {

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
