package io.tollgate.testsupport;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Gives the application context of a Spring test annotated with {@link UsesKafka} or
 * {@link UsesPostgres} Spring Boot service-connection beans
 * ({@code KafkaConnectionDetails}, {@code R2dbcConnectionDetails},
 * {@code FlywayConnectionDetails}) for the infrastructure {@link TestInfrastructure}
 * provides. Boot's auto-configuration prefers such beans over {@code spring.kafka.*} and
 * {@code spring.r2dbc.*} properties, exactly as it does for {@code @ServiceConnection}
 * containers, so the application under test is configured the same way whichever way the
 * infrastructure was obtained.
 */
final class InfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

	private static final boolean FLYWAY_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails",
			InfrastructureContextCustomizerFactory.class.getClassLoader());

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		boolean kafka = TestContextAnnotationUtils.hasAnnotation(testClass, UsesKafka.class);
		boolean postgres = TestContextAnnotationUtils.hasAnnotation(testClass, UsesPostgres.class);
		return (kafka || postgres) ? new InfrastructureContextCustomizer(kafka, postgres) : null;
	}

	/**
	 * Equal customizers let Spring's test context cache share one context between test
	 * classes that need the same infrastructure.
	 */
	record InfrastructureContextCustomizer(boolean kafka, boolean postgres) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			if (!(context.getBeanFactory() instanceof BeanDefinitionRegistry registry)) {
				throw new IllegalStateException("Cannot register connection details with " + context);
			}
			if (this.kafka) {
				KafkaService service = TestInfrastructure.kafka();
				KafkaConnectionDetails details = () -> List.of(service.bootstrapServers().split(","));
				registry.registerBeanDefinition("testKafkaConnectionDetails",
						new RootBeanDefinition(KafkaConnectionDetails.class, () -> details));
			}
			if (this.postgres) {
				PostgresService database = TestInfrastructure.postgres();
				R2dbcConnectionDetails r2dbc = database::connectionFactoryOptions;
				registry.registerBeanDefinition("testR2dbcConnectionDetails",
						new RootBeanDefinition(R2dbcConnectionDetails.class, () -> r2dbc));
				if (FLYWAY_PRESENT) {
					FlywayDetails.register(registry, database);
				}
			}
		}

	}

	/**
	 * Kept apart so that Flyway's types are only loaded where Flyway is on the class
	 * path.
	 */
	private static final class FlywayDetails {

		static void register(BeanDefinitionRegistry registry, PostgresService database) {
			FlywayConnectionDetails details = new FlywayConnectionDetails() {

				@Override
				public String getUsername() {
					return database.username();
				}

				@Override
				public String getPassword() {
					return database.password();
				}

				@Override
				public String getJdbcUrl() {
					return database.jdbcUrl();
				}

			};
			registry.registerBeanDefinition("testFlywayConnectionDetails",
					new RootBeanDefinition(FlywayConnectionDetails.class, () -> details));
		}

	}

}
