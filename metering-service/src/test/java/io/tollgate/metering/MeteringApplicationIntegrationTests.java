package io.tollgate.metering;

import io.tollgate.testsupport.ServiceProbesContract;

@MeteringIntegrationTest
class MeteringApplicationIntegrationTests extends ServiceProbesContract {

	MeteringApplicationIntegrationTests() {
		super("metering-service");
	}

}
