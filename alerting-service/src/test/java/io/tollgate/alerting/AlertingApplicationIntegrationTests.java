package io.tollgate.alerting;

import io.tollgate.testsupport.ServiceProbesContract;
import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@UsesKafka
@UsesPostgres
class AlertingApplicationIntegrationTests extends ServiceProbesContract {

	AlertingApplicationIntegrationTests() {
		super("alerting-service");
	}

}
