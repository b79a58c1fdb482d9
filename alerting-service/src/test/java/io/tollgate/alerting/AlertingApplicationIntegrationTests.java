package io.tollgate.alerting;

import io.tollgate.testsupport.ServiceProbesContract;

/**
 * Health, readiness and metrics of the alerting service, as every service answers them.
 */
@AlertingIntegrationTest
class AlertingApplicationIntegrationTests extends ServiceProbesContract {

	AlertingApplicationIntegrationTests() {
		super("alerting-service");
	}

}
