package io.tollgate.billing.config;

import io.tollgate.support.web.ApiExceptionHandler;
import io.tollgate.support.web.FrontDoorFilter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared service plumbing (module {@code service-support}) with billing's settings:
 * the front-door check on every API and the error shape.
 */
@Configuration(proxyBeanMethods = false)
class ServiceSupportConfiguration {

	@Bean
	FrontDoorFilter frontDoorFilter(BillingProperties properties,
			@Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath, JsonMapper json) {
		return new FrontDoorFilter(properties.internalToken(), actuatorBasePath, json);
	}

	@Bean
	ApiExceptionHandler apiExceptionHandler() {
		return new ApiExceptionHandler("billing service");
	}

}
