package io.tollgate.contract.frontdoor;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InternalCallerTests {

	private static final String TOKEN = "internal-secret";

	private static UnaryOperator<@Nullable String> headers(Map<String, String> values) {
		return values::get;
	}

	@Test
	void refusesRequestWithoutInternalToken() {
		InternalCaller.Authentication result = InternalCaller.authenticate(TOKEN,
				headers(Map.of(FrontDoorHeaders.CALLER, "admin")));
		assertThat(result).isInstanceOfSatisfying(InternalCaller.Refused.class, (refused) -> {
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.code()).isEqualTo("internal_credential_required");
		});
	}

	@Test
	void refusesWrongInternalToken() {
		InternalCaller.Authentication result = InternalCaller.authenticate(TOKEN,
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, "internal-secreT", FrontDoorHeaders.CALLER, "admin")));
		assertThat(result).isInstanceOf(InternalCaller.Refused.class);
	}

	@Test
	void refusesEverythingWhenNoTokenIsConfigured() {
		InternalCaller.Authentication result = InternalCaller.authenticate("",
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, "", FrontDoorHeaders.CALLER, "admin")));
		assertThat(result).isInstanceOf(InternalCaller.Refused.class);
	}

	@Test
	void acceptsTenantWithItsKey() {
		InternalCaller.Authentication result = InternalCaller.authenticate(TOKEN,
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, TOKEN, FrontDoorHeaders.CALLER, "tenant",
						FrontDoorHeaders.TENANT_ID, "acme", FrontDoorHeaders.API_KEY_ID, "key-1")));
		assertThat(result).isEqualTo(new InternalCaller.Accepted(new InternalCaller.Tenant("acme", "key-1")));
	}

	@Test
	void refusesTenantCallerWithoutTenantId() {
		InternalCaller.Authentication result = InternalCaller.authenticate(TOKEN,
				headers(Map.of(FrontDoorHeaders.INTERNAL_TOKEN, TOKEN, FrontDoorHeaders.CALLER, "tenant")));
		assertThat(result).isInstanceOfSatisfying(InternalCaller.Refused.class,
				(refused) -> assertThat(refused.code()).isEqualTo("caller_unknown"));
	}

	@Test
	void tenantIsScopedToItselfAndCannotNameAnother() {
		InternalCaller tenant = new InternalCaller.Tenant("acme", "key-1");
		assertThat(tenant.scope(null)).isEqualTo(new InternalCaller.Scoped("acme"));
		assertThat(tenant.scope("acme")).isEqualTo(new InternalCaller.Scoped("acme"));
		assertThat(tenant.scope("globex")).isInstanceOfSatisfying(InternalCaller.Refused.class,
				(refused) -> assertThat(refused.status()).isEqualTo(403));
	}

	@Test
	void adminMustNameTheTenant() {
		InternalCaller admin = new InternalCaller.Admin();
		assertThat(admin.scope("globex")).isEqualTo(new InternalCaller.Scoped("globex"));
		assertThat(admin.scope(null)).isInstanceOfSatisfying(InternalCaller.Refused.class, (refused) -> {
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.code()).isEqualTo("tenant_required");
		});
	}

}
