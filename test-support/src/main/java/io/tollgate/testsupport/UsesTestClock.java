package io.tollgate.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares that a test class runs on the {@link TestClock}: in a Spring test the
 * application context gets it as its {@code java.time.Clock} bean (named {@code clock},
 * so a service's own {@code @ConditionalOnMissingBean} clock steps aside), and the clock
 * is reset to its default run after each test, so a test that froze or moved it leaves
 * nothing behind.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestClockExtension.class)
public @interface UsesTestClock {

}
