package io.tollgate.support.config;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.tollgate.support.outbox.OutboxRelay;
import io.tollgate.support.web.ApiExceptionHandler;
import io.tollgate.support.web.FrontDoorFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceSupportAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ServiceSupportAutoConfiguration.class,
				OutboxAutoConfiguration.class));

	@Test
	void refusesToStartWithoutTheInternalToken() {
		this.runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("set TOLLGATE_INTERNAL_TOKEN"));
		this.runner.withPropertyValues("tollgate.service.internal-token= ")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void givesAServiceItsClockFrontDoorCheckAndErrorHandler() {
		this.runner
			.withPropertyValues("tollgate.service.internal-token=token-0123456789",
					"spring.application.name=billing-service")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(FrontDoorFilter.class)
					.hasSingleBean(ApiExceptionHandler.class);
				assertThat(context.getBean(Clock.class).getZone()).isEqualTo(ZoneOffset.UTC);
				assertThat(context.getBean(ServiceSupportProperties.class).outbox().batchSize()).isEqualTo(2000);
			});
	}

	@Test
	void theFrontDoorItselfNeedsNoTokenAndGetsNoFrontDoorCheck() {
		this.runner.withPropertyValues("tollgate.service.behind-front-door=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(FrontDoorFilter.class)
				.hasSingleBean(ApiExceptionHandler.class)
				.hasSingleBean(Clock.class));
	}

	@Test
	void keepsTheClockAServiceDeclares() {
		Clock fixed = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);
		this.runner.withPropertyValues("tollgate.service.internal-token=token-0123456789")
			.withBean("clock", Clock.class, () -> fixed)
			.run((context) -> assertThat(context.getBean(Clock.class)).isSameAs(fixed));
	}

	@Test
	void runsNoOutboxRelayWithoutADatabaseAndKafka() {
		this.runner.withPropertyValues("tollgate.service.internal-token=token-0123456789")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRelay.class));
	}

	@Test
	void refusesAnOutboxBatchSizeBelowOne() {
		this.runner
			.withPropertyValues("tollgate.service.internal-token=token-0123456789",
					"tollgate.service.outbox.batch-size=0")
			.run((context) -> assertThat(context).hasFailed());
	}

}
