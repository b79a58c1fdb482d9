package io.tollgate.system;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.Endpoint;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.Provider;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.UsageEvent;
import io.tollgate.testsupport.UsesKafka;
import io.tollgate.testsupport.UsesPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Money end to end: usage posted to the gateway is counted by metering, priced by billing
 * and read back through the gateway's front door; budgets are set with the admin
 * credential only; billing refuses every call that did not come through the gateway.
 */
@UsesKafka
@UsesPostgres
class SpendThroughGatewayIntegrationTests {

	@Test
	void tenantReadsWhatItsUsageCostThroughTheGateway() {
		Stack stack = Stack.get();
		Stack.Key acme = stack.newTenantKey("acme-spend");
		Instant completed = recentInThisMonth();
		// Claude Sonnet 4.5, $3 per million input and $15 per million output tokens:
		// 3 x (1,000,000 x 3 + 100,000 x 15) / 1,000,000 = 3 x 4.5 = $13.50.
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			events.add(event(acme, completed.minusSeconds(i), 1_000_000, 100_000));
		}
		Stack.Answer ingest = Stack.call("POST", stack.gateway.baseUrl() + "/v1/usage-events",
				"[" + String.join(",", events) + "]", "x-api-key", acme.secret());
		assertThat(ingest.status()).as(ingest.body()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			Stack.Answer current = Stack.call("GET", stack.gateway.baseUrl() + "/v1/spend/current", null, "x-api-key",
					acme.secret());
			assertThat(current.status()).as(current.body()).isEqualTo(200);
			assertThat(current.json().get("spend_to_date").asString()).isEqualTo("13.5");
		});

		String month = completed.toString().substring(0, 7);
		Stack.Answer statement = Stack.call("GET", stack.gateway.baseUrl() + "/v1/statements/" + month, null,
				"x-api-key", acme.secret());
		assertThat(statement.status()).as(statement.body()).isEqualTo(200);
		assertThat(new java.math.BigDecimal(statement.json().get("total_amount").asString()))
			.isEqualByComparingTo("13.5");
		assertThat(statement.json().get("total_amount_rounded").asString()).isEqualTo("13.50");
		Stack.Answer csv = Stack.call("GET", stack.gateway.baseUrl() + "/v1/statements/" + month, null, "x-api-key",
				acme.secret(), "accept", "text/csv");
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.body()).startsWith("model,token_kind,usd_per_mtok,quantity,amount,amount_rounded,unpriced");
		Stack.Answer report = Stack.call("GET", stack.gateway.baseUrl() + "/v1/spend?starting_at="
				+ completed.truncatedTo(ChronoUnit.DAYS) + "&group_by=token_kind", null, "x-api-key", acme.secret());
		assertThat(report.status()).as(report.body()).isEqualTo(200);

		// A tenant's own key cannot raise its cap; the admin sets it through the gateway.
		String budget = "{\"cap_usd\":\"20\",\"pause_at_cap\":true}";
		Stack.Answer byTenant = Stack.call("PUT", stack.gateway.baseUrl() + "/v1/budgets/tenant", budget, "x-api-key",
				acme.secret());
		assertThat(byTenant.status()).isEqualTo(403);
		assertThat(byTenant.json().at("/error/code").asString()).isEqualTo("admin_required");
		Stack.Answer byAdmin = Stack.call("PUT",
				stack.gateway.baseUrl() + "/v1/budgets/tenant?tenant_id=" + acme.tenantId(), budget, "authorization",
				"Bearer " + Stack.ADMIN_TOKEN);
		assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(200);

		Stack.Answer current = Stack.call("GET", stack.gateway.baseUrl() + "/v1/spend/current", null, "x-api-key",
				acme.secret());
		assertThat(current.json().get("cap").asString()).isEqualTo("20");
		assertThat(current.json().get("percent_used").asString()).isEqualTo("67.50");
		assertThat(current.json().get("paused").asBoolean()).isFalse();

		Stack.Answer other = Stack.call("GET",
				stack.gateway.baseUrl() + "/v1/spend/current?tenant_id=" + acme.tenantId(), null, "x-api-key",
				stack.newTenantKey("globex-spend").secret());
		assertThat(other.status()).isEqualTo(403);
	}

	@Test
	void pricesAreForTheAdminOnly() {
		Stack stack = Stack.get();
		Stack.Answer admin = Stack.call("GET", stack.gateway.baseUrl() + "/admin/v1/prices?provider=anthropic", null,
				"authorization", "Bearer " + Stack.ADMIN_TOKEN);
		assertThat(admin.status()).as(admin.body()).isEqualTo(200);
		assertThat(admin.body()).contains("claude-sonnet-4-5");
		Stack.Answer tenant = Stack.call("GET", stack.gateway.baseUrl() + "/admin/v1/prices", null, "x-api-key",
				stack.newTenantKey("prices").secret());
		assertThat(tenant.status()).isIn(401, 403);
	}

	@Test
	void billingRefusesCallsThatDidNotComeThroughTheGateway() {
		Stack stack = Stack.get();
		for (String path : List.of("/v1/spend/current?tenant_id=x", "/v1/budgets?tenant_id=x", "/admin/v1/prices")) {
			Stack.Answer direct = Stack.call("GET", stack.billing.baseUrl() + path, null, "x-tollgate-caller", "admin");
			assertThat(direct.status()).as(path).isEqualTo(401);
			assertThat(direct.json().at("/error/code").asString()).isEqualTo("internal_credential_required");
		}
		Stack.Answer health = Stack.call("GET", stack.billing.baseUrl() + "/actuator/health", null);
		assertThat(health.status()).isEqualTo(200);
	}

	private static Instant recentInThisMonth() {
		Instant now = Instant.now();
		Instant monthStart = now.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
		Instant recent = now.minus(Duration.ofMinutes(5));
		return recent.isBefore(monthStart) ? monthStart.plusSeconds(10) : recent;
	}

	private static String event(Stack.Key key, Instant completed, long input, long output) {
		return EventCodec.shared()
			.encodeToString(UsageEvent.builder()
				.tenantId(key.tenantId())
				.apiKeyId(key.keyId())
				.provider(Provider.ANTHROPIC)
				.model("claude-sonnet-4-5-20250929")
				.endpoint(Endpoint.MESSAGES)
				.tokens(new TokenCounts(input, output, 0, 0, 0, 0, 0))
				.stopReason("end_turn")
				.startedAt(completed.minusSeconds(2))
				.completedAt(completed)
				.upstreamLatencyMs(1500)
				.build());
	}

}
