package io.tollgate.metering;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;
import io.tollgate.testsupport.UsesTestClock;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The metering service on a random port with real Kafka and PostgreSQL. Every integration
 * test class of the service uses this one annotation, so they share one cached
 * application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.service.internal-token=" + MeteringIntegrationTest.INTERNAL_TOKEN,
				"tollgate.metering.topics.partitions=6", "tollgate.metering.aggregation.concurrency=2" })
@UsesKafka
@UsesTestClock
@UsesPostgres
public @interface MeteringIntegrationTest {

	/** The internal credential the tests' front door would send. */
	String INTERNAL_TOKEN = "metering-test-internal-token-0123456789";

}
