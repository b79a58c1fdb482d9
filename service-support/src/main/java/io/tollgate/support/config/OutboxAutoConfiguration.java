package io.tollgate.support.config;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.support.kafka.BatchTransaction;
import io.tollgate.support.kafka.OffsetStore;
import io.tollgate.support.outbox.Outbox;
import io.tollgate.support.outbox.OutboxRelay;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;

/**
 * The exactly-once plumbing of a service that consumes Kafka into PostgreSQL and
 * publishes through a transactional outbox: fenced offsets in PostgreSQL
 * ({@link OffsetStore}), the batch transaction that commits a consumed batch with them
 * ({@link BatchTransaction}), the outbox and its relay, and the migration of their two
 * tables ({@value #MIGRATIONS}, added to the service's Flyway). On when the service has a
 * database, a transaction manager and a Kafka template, unless
 * {@code tollgate.service.outbox.enabled} is {@code false}.
 */
@AutoConfiguration(after = ServiceSupportAutoConfiguration.class,
		afterName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
				"org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
				"org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
				"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration" })
@ConditionalOnBean({ DatabaseClient.class, ReactiveTransactionManager.class, KafkaTemplate.class })
@ConditionalOnBooleanProperty(name = "tollgate.service.outbox.enabled", matchIfMissing = true)
public final class OutboxAutoConfiguration {

	/** Where this module's migrations are: version 0, before the service's own. */
	static final String MIGRATIONS = "classpath:db/service-support";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flyway.class)
	static final class Migrations {

		@Bean
		FlywayConfigurationCustomizer serviceSupportMigrations() {
			return (configuration) -> {
				List<Location> locations = new ArrayList<>(List.of(configuration.getLocations()));
				locations.add(new Location(MIGRATIONS));
				configuration.locations(locations.toArray(Location[]::new));
			};
		}

	}

	@Bean
	@ConditionalOnMissingBean
	OffsetStore offsetStore(DatabaseClient db, @Value("${spring.kafka.consumer.group-id}") String group) {
		return new OffsetStore(db, group);
	}

	@Bean
	@ConditionalOnMissingBean
	BatchTransaction batchTransaction(ReactiveTransactionManager transactionManager, OffsetStore offsets,
			Outbox outbox) {
		return new BatchTransaction(transactionManager, offsets, outbox);
	}

	@Bean
	@ConditionalOnMissingBean
	Outbox outbox(DatabaseClient db) {
		return new Outbox(db);
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay outboxRelay(DatabaseClient db, ReactiveTransactionManager transactionManager,
			KafkaTemplate<byte[], byte[]> kafka, ServiceSupportProperties properties, MeterRegistry registry) {
		return new OutboxRelay(db, transactionManager, kafka, properties.outbox().batchSize(),
				properties.outbox().pollInterval(), registry);
	}

}
