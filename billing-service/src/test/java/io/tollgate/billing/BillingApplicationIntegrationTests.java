package io.tollgate.billing;

import io.tollgate.testsupport.ServiceProbesContract;
import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@UsesKafka
@UsesPostgres
class BillingApplicationIntegrationTests extends ServiceProbesContract {

	BillingApplicationIntegrationTests() {
		super("billing-service");
	}

}
