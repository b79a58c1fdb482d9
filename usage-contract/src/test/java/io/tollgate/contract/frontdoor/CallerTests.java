package io.tollgate.contract.frontdoor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerTests {

	private static final String TOKEN = "internal-secret";

	private static UnaryOperator<@Nullable String> headers(Map<String, String> values) {
		return values::get;
	}

	@Test
	void refusesRequestWithoutInternalToken() {
		Caller.Authentication result = Caller.authenticate(TOKEN, headers(Map.of(FrontDoorHeaders.CALLER, "admin")));
		assertThat(result).isEqualTo(new Caller.Refused(Caller.Reason.NOT_THROUGH_GATEWAY));
		assertThat(Caller.Reason.NOT_THROUGH_GATEWAY.code()).isEqualTo("internal_credential_required");
	}

	@Test
	void refusesWrongInternalToken() {
		Caller.Authentication result = Caller.authenticate(TOKEN,
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, "internal-secreT", FrontDoorHeaders.CALLER, "admin")));
		assertThat(result).isEqualTo(new Caller.Refused(Caller.Reason.NOT_THROUGH_GATEWAY));
	}

	@Test
	void refusesEverythingWhenNoTokenIsConfigured() {
		Caller.Authentication result = Caller.authenticate("",
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, "", FrontDoorHeaders.CALLER, "admin")));
		assertThat(result).isInstanceOf(Caller.Refused.class);
	}

	@Test
	void acceptsTenantWithItsKey() {
		Caller.Authentication result = Caller.authenticate(TOKEN,
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, TOKEN, FrontDoorHeaders.CALLER, "tenant",
						FrontDoorHeaders.TENANT_ID, "acme", FrontDoorHeaders.API_KEY_ID, "key-1")));
		assertThat(result).isEqualTo(new Caller.Accepted(new Caller.Tenant("acme", "key-1")));
	}

	@Test
	void refusesTenantCallerWithoutTenantId() {
		Caller.Authentication result = Caller.authenticate(TOKEN,
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, TOKEN, FrontDoorHeaders.CALLER, "tenant")));
		assertThat(result).isEqualTo(new Caller.Refused(Caller.Reason.CALLER_UNKNOWN));
		assertThat(Caller.Reason.CALLER_UNKNOWN.code()).isEqualTo("caller_unknown");
	}

	@Test
	void whatTheGatewayForwardsAServiceAuthenticatesAsTheSameCaller() {
		for (Caller caller : new Caller[] { new Caller.Tenant("acme", "key-1"), new Caller.Admin() }) {
			Map<String, String> sent = new LinkedHashMap<>();
			caller.forward(TOKEN, sent::put);
			assertThat(sent).containsEntry(FrontDoorHeaders.INTERNAL_TOKEN, TOKEN);
			assertThat(Caller.authenticate(TOKEN, headers(sent))).isEqualTo(new Caller.Accepted(caller));
		}
	}

	@Test
	void tenantIsScopedToItselfAndCannotNameAnother() {
		Caller tenant = new Caller.Tenant("acme", "key-1");
		assertThat(tenant.scope(null)).isEqualTo(new Caller.Scoped("acme"));
		assertThat(tenant.scope("acme")).isEqualTo(new Caller.Scoped("acme"));
		assertThat(tenant.scope("globex")).isEqualTo(new Caller.Refused(Caller.Reason.TENANT_FORBIDDEN));
	}

	@Test
	void adminMustNameTheTenant() {
		Caller admin = new Caller.Admin();
		assertThat(admin.scope("globex")).isEqualTo(new Caller.Scoped("globex"));
		assertThat(admin.scope(null)).isEqualTo(new Caller.Refused(Caller.Reason.TENANT_REQUIRED));
		assertThat(Caller.Reason.TENANT_REQUIRED.code()).isEqualTo("tenant_required");
	}

}
