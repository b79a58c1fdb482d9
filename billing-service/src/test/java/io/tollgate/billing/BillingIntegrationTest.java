package io.tollgate.billing;

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
 * The billing service on a random port with real Kafka and PostgreSQL. Every integration
 * test class of the service uses this one annotation, so they share one cached
 * application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.service.internal-token=" + BillingIntegrationTest.INTERNAL_TOKEN })
@UsesKafka
@UsesTestClock
@UsesPostgres
public @interface BillingIntegrationTest {

	/** The internal credential the tests' front door would send. */
	String INTERNAL_TOKEN = "billing-test-internal-token-0123456789";

}
