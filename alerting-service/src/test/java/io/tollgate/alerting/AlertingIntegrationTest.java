package io.tollgate.alerting;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The alerting service on a random port with real Kafka and PostgreSQL, webhooks allowed
 * to loopback (where the tests' receivers listen) and a short retry schedule. Every
 * integration test class of the service uses this one annotation, so they share one
 * cached application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.service.internal-token=" + AlertingIntegrationTest.INTERNAL_TOKEN,
				"tollgate.alerting.webhooks.secret-key=" + AlertingIntegrationTest.SECRET_KEY,
				"tollgate.alerting.webhooks.allowed-networks=127.0.0.0/8",
				"tollgate.alerting.webhooks.retry-schedule=0s,1s,1s", "tollgate.alerting.webhooks.timeout=3s",
				"tollgate.alerting.webhooks.poll-interval=100ms", "tollgate.alerting.budget.forecast-min-spend=1" })
@UsesKafka
@UsesPostgres
public @interface AlertingIntegrationTest {

	/** The internal credential the tests' front door would send. */
	String INTERNAL_TOKEN = "alerting-test-internal-token-0123456789";

	/** The key webhook secrets are sealed with in tests (base64 of 32 bytes). */
	String SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

}
