package io.tollgate.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts what a test class declares it uses before its first test, and hands
 * {@link KafkaService} and {@link PostgresService} to test methods and constructors that
 * ask.
 */
final class InfrastructureExtension implements BeforeAllCallback, ParameterResolver {

	@Override
	public void beforeAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		if (AnnotationSupport.isAnnotated(testClass, UsesKafka.class)) {
			TestInfrastructure.kafka();
		}
		if (AnnotationSupport.isAnnotated(testClass, UsesPostgres.class)) {
			TestInfrastructure.postgres();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == KafkaService.class || type == PostgresService.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return (parameterContext.getParameter().getType() == KafkaService.class) ? TestInfrastructure.kafka()
				: TestInfrastructure.postgres();
	}

}
