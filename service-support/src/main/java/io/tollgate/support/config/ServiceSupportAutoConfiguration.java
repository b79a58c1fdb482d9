package io.tollgate.support.config;

import java.time.Clock;

import io.tollgate.support.web.ApiExceptionHandler;
import io.tollgate.support.web.ErrorShape;
import io.tollgate.support.web.FrontDoorFilter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * What every Tollgate service gets by depending on {@code service-support}: the clock its
 * decisions read, Tollgate's error handling and, behind the gateway, the front-door check
 * on every API. Each bean steps aside for one the service declares itself.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(ServiceSupportProperties.class)
public final class ServiceSupportAutoConfiguration {

	/** The one source of "now": tests replace it (test-support's {@code TestClock}). */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnBooleanProperty(name = "tollgate.service.behind-front-door", matchIfMissing = true)
	FrontDoorFilter frontDoorFilter(ServiceSupportProperties properties,
			@Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
		return new FrontDoorFilter(properties.internalToken(), actuatorBasePath);
	}

	/** Tollgate's own shape; the gateway declares one that speaks the providers' too. */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	ErrorShape errorShape() {
		return ErrorShape.TOLLGATE;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	ApiExceptionHandler apiExceptionHandler(@Value("${spring.application.name:service}") String applicationName,
			JsonMapper json, ErrorShape errorShape) {
		return new ApiExceptionHandler(applicationName.replace('-', ' '), json, errorShape);
	}

}
