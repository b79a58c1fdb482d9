package io.tollgate.gateway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;
import io.tollgate.testsupport.UsesTestClock;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * The gateway on a random port with real Kafka and PostgreSQL, the admin token
 * {@value #ADMIN_TOKEN}, and a spool directory of its own. Test classes that share it
 * share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.gateway.admin-token=" + GatewayIntegrationTest.ADMIN_TOKEN,
				"tollgate.service.internal-token=" + GatewayIntegrationTest.INTERNAL_TOKEN,
				"tollgate.gateway.usage.spool-directory=${java.io.tmpdir}/gateway-spool-${random.uuid}",
				"tollgate.gateway.usage.topic-partitions=3" })
@AutoConfigureWebTestClient
@UsesKafka
@UsesTestClock
@UsesPostgres
public @interface GatewayIntegrationTest {

	/** The admin credential of the gateway under test. */
	String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123456789";

	/** The credential the gateway presents to the services behind its front door. */
	String INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";

}
