package io.tollgate.billing;

import io.tollgate.testsupport.ServiceProbesContract;

@BillingIntegrationTest
class BillingApplicationIntegrationTests extends ServiceProbesContract {

	BillingApplicationIntegrationTests() {
		super("billing-service");
	}

}
