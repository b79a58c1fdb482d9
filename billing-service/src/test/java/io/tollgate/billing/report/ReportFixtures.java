package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.tollgate.billing.FrontDoor;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import static io.tollgate.testsupport.ApiCalls.expectError;
import static io.tollgate.testsupport.ApiCalls.expectInvalidParameter;
import static io.tollgate.testsupport.ApiCalls.uri;

/**
 * What the report integration tests share: fresh tenants, deltas, and the refusals the
 * report APIs answer (requests and their JSON: {@code ApiCalls}).
 */
final class ReportFixtures {

	static final String SONNET = "claude-sonnet-4-5";

	static final String HAIKU = "claude-haiku-4-5";

	/** How long the ledger may take to price what a test published. */
	static final Duration PRICED_WITHIN = Duration.ofSeconds(60);

	private ReportFixtures() {
	}

	static String newTenant(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

	/** A model no catalog prices: priced as Claude Opus 4.1 ($15 input), flagged. */
	static String unknownModel() {
		return "mystery-" + UUID.randomUUID().toString().substring(0, 8);
	}

	static MeteredUsage delta(String tenant, String key, String model, ServiceTier tier, Instant at,
			TokenCounts tokens) {
		return MeteredDeltas.delta(tenant, key, model, tier, ContextTier.STANDARD, at, tokens);
	}

	static TokenCounts tokens(long input, long output) {
		return new TokenCounts(input, output, 0, 0, 0, 0, 0);
	}

	static void publish(MeteredUsage... deltas) {
		MeteredDeltas.publish(List.of(deltas));
	}

	/**
	 * Writes an hour of spend as the ledger would, for what only corrections produce
	 * (negative rows at an old price), which nothing publishes yet.
	 */
	static void insertSpendHour(DatabaseClient db, String tenant, Instant hour, String model, String kind,
			String usdPerMtok, long quantity, String amount) {
		db.sql("INSERT INTO spend_hour (tenant_id, bucket_start, api_key_id, model, token_kind, usd_per_mtok, "
				+ "unpriced, quantity, amount) VALUES (:t, :b, 'key-1', :m, :k, :p, false, :q, :a)")
			.bind("t", tenant)
			.bind("b", hour.atOffset(ZoneOffset.UTC))
			.bind("m", model)
			.bind("k", kind)
			.bind("p", new BigDecimal(usdPerMtok))
			.bind("q", quantity)
			.bind("a", new BigDecimal(amount))
			.then()
			.block(Duration.ofSeconds(10));
	}

	static void expectInvalid(WebTestClient client, Function<UriBuilder, URI> uri, String param) {
		expectInvalidParameter(client.get().uri(uri).exchange(), param);
	}

	/** The refusals every tenant read answers, as the usage API does. */
	static void expectTenantScoping(int port, String path, String tenant) {
		expectError(FrontDoor.client(port).get().uri(uri(path)).exchange(), HttpStatus.UNAUTHORIZED,
				"internal_credential_required");
		expectError(FrontDoor.asTenant(port, newTenant("other"), "key-9")
			.get()
			.uri(uri(path, "tenant_id", tenant))
			.exchange(), HttpStatus.FORBIDDEN, "tenant_forbidden").jsonPath("$.error.type")
			.isEqualTo("permission_error");
		expectError(FrontDoor.asAdmin(port).get().uri(uri(path)).exchange(), HttpStatus.BAD_REQUEST, "tenant_required")
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.param")
			.isEqualTo("tenant_id");
	}

}
