package io.tollgate.gateway;

import io.tollgate.testsupport.ServiceProbesContract;

@GatewayIntegrationTest
class GatewayApplicationIntegrationTests extends ServiceProbesContract {

	GatewayApplicationIntegrationTests() {
		super("gateway-service");
	}

}
