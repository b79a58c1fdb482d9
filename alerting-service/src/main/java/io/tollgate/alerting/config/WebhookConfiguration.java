package io.tollgate.alerting.config;

import io.tollgate.alerting.delivery.DestinationGuard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where webhooks may go: the guard the endpoint API and the sender share.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

	@Bean
	DestinationGuard destinationGuard(AlertingProperties properties) {
		return DestinationGuard.withSystemResolver(properties.webhooks().allowedNetworks());
	}

}
