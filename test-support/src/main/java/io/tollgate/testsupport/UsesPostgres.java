package io.tollgate.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares that a test class needs a real PostgreSQL database (a fresh one per test JVM).
 * In a Spring test the application context gets {@code R2dbcConnectionDetails} (and,
 * where Flyway is used, {@code FlywayConnectionDetails}) beans for it; any test can take
 * a {@link PostgresService} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(InfrastructureExtension.class)
public @interface UsesPostgres {

}
