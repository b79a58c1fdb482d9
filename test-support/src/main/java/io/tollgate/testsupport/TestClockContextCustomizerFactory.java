package io.tollgate.testsupport;

import java.time.Clock;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registers the shared {@link TestClock} as the {@code clock} bean of the application
 * context of a test annotated with {@link UsesTestClock}.
 */
final class TestClockContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, UsesTestClock.class) ? new TestClockCustomizer()
				: null;
	}

	/** Equal to every other, so the test context cache shares contexts as before. */
	record TestClockCustomizer() implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			if (!(context.getBeanFactory() instanceof BeanDefinitionRegistry registry)) {
				throw new IllegalStateException("Cannot register the test clock with " + context);
			}
			RootBeanDefinition definition = new RootBeanDefinition(Clock.class, TestClock::shared);
			definition.setPrimary(true);
			registry.registerBeanDefinition("clock", definition);
		}

	}

}
