package io.tollgate.billing.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.support.kafka.OffsetStore;
import io.tollgate.support.outbox.Outbox;
import io.tollgate.support.outbox.OutboxRelay;
import io.tollgate.support.web.ApiExceptionHandler;
import io.tollgate.support.web.FrontDoorFilter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;

/**
 * The shared service plumbing (module {@code service-support}) with billing's settings:
 * the front-door check on every API, the error shape, offsets in PostgreSQL and the
 * outbox relay.
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

	@Bean
	OffsetStore offsetStore(DatabaseClient db, @Value("${spring.kafka.consumer.group-id}") String group) {
		return new OffsetStore(db, group);
	}

	@Bean
	Outbox outbox(DatabaseClient db) {
		return new Outbox(db);
	}

	@Bean
	OutboxRelay outboxRelay(DatabaseClient db, ReactiveTransactionManager transactionManager,
			KafkaTemplate<byte[], byte[]> kafka, BillingProperties properties, MeterRegistry registry) {
		return new OutboxRelay(db, transactionManager, kafka, properties.outbox().batchSize(),
				properties.outbox().pollInterval(), registry);
	}

}
