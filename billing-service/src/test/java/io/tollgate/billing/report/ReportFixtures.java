package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.tollgate.billing.FrontDoor;
import io.tollgate.billing.MeteredDeltas;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the report integration tests share: fresh tenants, deltas, requests and the JSON
 * they answer.
 */
final class ReportFixtures {

	static final String SONNET = "claude-sonnet-4-5";

	static final String HAIKU = "claude-haiku-4-5";

	/** How long the ledger may take to price what a test published. */
	static final Duration PRICED_WITHIN = Duration.ofSeconds(60);

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

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

	static Function<UriBuilder, URI> uri(String path, String... pairs) {
		return (builder) -> {
			builder.path(path);
			for (int i = 0; i < pairs.length; i += 2) {
				builder.queryParam(pairs[i], pairs[i + 1]);
			}
			return builder.build();
		};
	}

	static Map<String, Object> getJson(WebTestClient client, Function<UriBuilder, URI> uri) {
		Map<String, Object> body = client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		assertThat(body).isNotNull();
		return body;
	}

	static void expectInvalid(WebTestClient client, Function<UriBuilder, URI> uri, String param) {
		client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.code")
			.isEqualTo("invalid_parameter")
			.jsonPath("$.error.param")
			.isEqualTo(param)
			.jsonPath("$.error.message")
			.isNotEmpty();
	}

	/** The refusals every tenant read answers, as the usage API does. */
	static void expectTenantScoping(int port, String path, String tenant) {
		FrontDoor.client(port)
			.get()
			.uri(uri(path))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("internal_credential_required");
		FrontDoor.asTenant(port, newTenant("other"), "key-9")
			.get()
			.uri(uri(path, "tenant_id", tenant))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("permission_error")
			.jsonPath("$.error.code")
			.isEqualTo("tenant_forbidden");
		FrontDoor.asAdmin(port)
			.get()
			.uri(uri(path))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.code")
			.isEqualTo("tenant_required")
			.jsonPath("$.error.param")
			.isEqualTo("tenant_id");
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(Map<String, Object> object, String name) {
		return (List<Map<String, Object>>) object.get(name);
	}

}
