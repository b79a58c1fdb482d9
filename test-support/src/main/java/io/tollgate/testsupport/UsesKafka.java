package io.tollgate.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares that a test class needs a real Kafka broker. In a Spring test the application
 * context gets a {@code KafkaConnectionDetails} bean for it (Spring Boot's service
 * connection); any test can take a {@link KafkaService} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(InfrastructureExtension.class)
public @interface UsesKafka {

}
