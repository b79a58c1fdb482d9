package io.tollgate.gateway.keycontrol;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness waits for the key controls (health contributor {@code keyControls}, in the
 * readiness group): an instance that has not read every decision yet would let a paused
 * key through, so it is out of service until {@link KeyControls} has caught up.
 *
 * <p>
 * A health indicator rather than an {@code AvailabilityChangeEvent}: Spring Boot
 * publishes {@code ACCEPTING_TRAFFIC} itself once the application has started, which
 * would overwrite a {@code REFUSING_TRAFFIC} published earlier by this bean's start.
 * Liveness does not include it: a gateway waiting for Kafka is alive and must not be
 * restarted for it.
 */
@Component
class KeyControlsHealthIndicator implements HealthIndicator {

	private final KeyControls keyControls;

	KeyControlsHealthIndicator(KeyControls keyControls) {
		this.keyControls = keyControls;
	}

	@Override
	public Health health() {
		return this.keyControls.caughtUp() ? Health.up().build()
				: Health.outOfService().withDetail("reason", "reading the key-controls topic").build();
	}

}
