package io.tollgate.support.web;

import io.tollgate.contract.frontdoor.Caller;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CallersTests {

	@Test
	void tenantKeyReadsItsOwnTenant() {
		MockServerWebExchange exchange = exchange(new Caller.Tenant("acme", "key-1"));
		assertThat(Callers.tenant(exchange, null)).isEqualTo("acme");
		assertThat(Callers.tenant(exchange, "")).isEqualTo("acme");
		assertThat(Callers.tenant(exchange, "acme")).isEqualTo("acme");
	}

	@Test
	void tenantKeyNamingAnotherTenantIsForbidden() {
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> Callers.tenant(exchange(new Caller.Tenant("acme", "key-1")), "globex"))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(HttpStatus.FORBIDDEN);
				assertThat(ex.code()).isEqualTo("tenant_forbidden");
				assertThat(ex.details()).isEmpty();
			});
	}

	@Test
	void adminReadsTheTenantItNamesAndMustNameOne() {
		MockServerWebExchange exchange = exchange(new Caller.Admin());
		assertThat(Callers.tenant(exchange, "globex")).isEqualTo("globex");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> Callers.tenant(exchange, null))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
				assertThat(ex.code()).isEqualTo("tenant_required");
				assertThat(ex.details()).containsEntry("param", "tenant_id");
			});
	}

	@Test
	void requireAdminAdmitsTheAdminOnly() {
		Callers.requireAdmin(exchange(new Caller.Admin()), "Prices need the admin credential");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> Callers.requireAdmin(exchange(new Caller.Tenant("acme", "key-1")),
					"Prices need the admin credential"))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(HttpStatus.FORBIDDEN);
				assertThat(ex.code()).isEqualTo("admin_required");
				assertThat(ex.getMessage()).isEqualTo("Prices need the admin credential");
				assertThat(ex.details()).isEmpty();
			});
	}

	@Test
	void withoutTheFrontDoorFilterThereIsNoCaller() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/anything"));
		assertThatIllegalStateException().isThrownBy(() -> Callers.tenant(exchange, "acme"));
		assertThatIllegalStateException().isThrownBy(() -> Callers.requireAdmin(exchange, "admin only"));
	}

	private static MockServerWebExchange exchange(Caller caller) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/anything"));
		Callers.set(exchange, caller);
		return exchange;
	}

}
