package io.tollgate.testsupport;

import java.time.Clock;
import java.time.Instant;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives a service run by {@link ServiceProcess} (class-path mode) the parent test JVM's
 * {@link TestClock}: the parent passes its reading at launch, the child runs its own
 * {@code TestClock} from there and makes it the {@code clock} bean, so events the tests
 * stamp and the service's decisions share one calendar. Kept apart from
 * {@link ServiceProcess.ParentWatch}, which must load without Spring on the class path
 * (jar mode).
 */
final class ChildClock {

	static final String PROPERTY = "tollgate.test-clock.start";

	private ChildClock() {
	}

	static void run(Instant start, Runnable main) {
		TestClock.shared().runFrom(start);
		// On the child's output (its log file), so a surprising date in a test is traced.
		System.out.println("=== running on the test clock from " + start);
		SpringApplication.withHook((application) -> new Registrar(), main);
	}

	private static final class Registrar implements SpringApplicationRunListener {

		@Override
		public void contextPrepared(ConfigurableApplicationContext context) {
			if (context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
				RootBeanDefinition definition = new RootBeanDefinition(Clock.class, TestClock::shared);
				definition.setPrimary(true);
				registry.registerBeanDefinition("clock", definition);
			}
		}

	}

}
