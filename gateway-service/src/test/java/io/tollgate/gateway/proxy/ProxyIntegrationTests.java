package io.tollgate.gateway.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Endpoint;
import io.tollgate.contract.Outcome;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.UsageEvent;
import io.tollgate.gateway.GatewayIntegrationTest;
import io.tollgate.gateway.TestTenants;
import io.tollgate.gateway.TestTenants.TenantKey;
import io.tollgate.gateway.UsageTopic;
import io.tollgate.gateway.proxy.usage.BatchResultsParser;
import io.tollgate.simulator.BatchResult;
import io.tollgate.simulator.ProviderSimulator;
import io.tollgate.simulator.Script;
import io.tollgate.simulator.ScriptedError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy end to end: client, gateway, a recording relay, the provider simulator; usage
 * read back from the real usage topic.
 */
@GatewayIntegrationTest
class ProxyIntegrationTests {

	static final ProviderSimulator simulator = ProviderSimulator.start();

	static final RecordingRelay relay = new RecordingRelay(simulator.baseUrl());

	private static final String ANTHROPIC_KEY = "sk-ant-provider-key";

	private static final String OPENAI_KEY = "sk-openai-provider-key";

	private static final String GEMINI_KEY = "gemini-provider-key";

	private static final String CLAUDE = "claude-sonnet-4-5-20250929";

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("tollgate.gateway.providers.anthropic.base-url", relay::baseUrl);
		registry.add("tollgate.gateway.providers.anthropic.api-key", () -> ANTHROPIC_KEY);
		registry.add("tollgate.gateway.providers.openai.base-url", relay::baseUrl);
		registry.add("tollgate.gateway.providers.openai.api-key", () -> OPENAI_KEY);
		registry.add("tollgate.gateway.providers.gemini.base-url", relay::baseUrl);
		registry.add("tollgate.gateway.providers.gemini.api-key", () -> GEMINI_KEY);
	}

	@AfterAll
	static void stopProviders() {
		relay.close();
		simulator.close();
	}

	@Autowired
	private WebTestClient client;

	@LocalServerPort
	private int port;

	@Test
	void anthropicMessagePassesThroughByteForByteAndIsMeteredExactly() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder()
			.inputTokens(1000)
			.outputTokens(200)
			.cacheWrite5m(300)
			.cacheWrite1h(100)
			.cacheRead(400)
			.webSearchRequests(2)
			.build());
		String request = "{\"model\":\"" + CLAUDE + "\",\"max_tokens\":1024,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, \\u00e9t\\u00e9\"}]}";

		EntityExchangeResult<byte[]> result = this.client.post()
			.uri("/v1/messages")
			.header("x-api-key", key.secret())
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.exists("request-id")
			.expectBody(byte[].class)
			.returnResult();

		RecordingRelay.Exchange upstream = relay.last();
		assertThat(upstream.requestBody()).isEqualTo(request.getBytes(StandardCharsets.UTF_8));
		assertThat(upstream.requestHeaders()).containsEntry("x-api-key", ANTHROPIC_KEY)
			.containsEntry("anthropic-version", "2023-06-01");
		assertThat(result.getResponseBody()).isEqualTo(upstream.responseBytes());
		assertThat(result.getResponseHeaders().getFirst("request-id"))
			.isEqualTo(upstream.responseHeaders().get("request-id"));

		UsageEvent event = single(key);
		assertThat(event.tokens()).isEqualTo(new TokenCounts(1000, 200, 300, 100, 400, 0, 2));
		assertThat(event.totalInputTokens()).isEqualTo(1800);
		assertThat(event.provider()).isEqualTo(Provider.ANTHROPIC);
		assertThat(event.endpoint()).isEqualTo(Endpoint.MESSAGES);
		assertThat(event.model()).isEqualTo(CLAUDE);
		assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
		assertThat(event.streamed()).isFalse();
		assertThat(event.apiKeyId()).isEqualTo(key.keyId());
		assertThat(event.requestFingerprint()).isNotBlank();
	}

	@Test
	void anthropicStreamTakesTheLastCumulativeUsageNotTheSum() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder()
			.inputTokens(50)
			.outputTokens(420)
			.cacheRead(250_000)
			.chunks(30)
			.usageUpdates(3)
			.build());
		String request = "{\"model\":\"" + CLAUDE + "\",\"max_tokens\":1024,\"stream\":true,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";

		byte[] body = this.client.post()
			.uri("/v1/messages")
			.header("Authorization", "Bearer " + key.secret())
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();

		assertThat(body).isEqualTo(relay.last().responseBytes());
		assertThat(new String(body, StandardCharsets.UTF_8)).contains("event: message_delta");
		UsageEvent event = single(key);
		assertThat(event.tokens()).isEqualTo(new TokenCounts(50, 420, 0, 0, 250_000, 0, 0));
		assertThat(event.streamed()).isTrue();
		assertThat(event.contextTier()).isEqualTo(ContextTier.LONG);
	}

	@Test
	void openAiStreamGetsUsageInjectedWithoutTheClientSeeingIt() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder()
			.inputTokens(700)
			.cacheRead(300)
			.outputTokens(90)
			.reasoningTokens(40)
			.chunks(8)
			.build());
		String request = "{\"model\":\"gpt-5\",\"stream\":true,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

		String body = this.client.post()
			.uri("/v1/chat/completions")
			.header("Authorization", "Bearer " + key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		String upstreamRequest = new String(relay.last().requestBody(), StandardCharsets.UTF_8);
		assertThat(upstreamRequest).contains("\"include_usage\":true");
		assertThat(relay.last().requestHeaders()).containsEntry("authorization", "Bearer " + OPENAI_KEY);
		assertThat(new String(relay.last().responseBytes(), StandardCharsets.UTF_8)).contains("\"usage\":{");
		assertThat(body).doesNotContain("usage").contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");

		UsageEvent event = single(key);
		assertThat(event.tokens()).isEqualTo(new TokenCounts(700, 90, 0, 0, 300, 40, 0));
		assertThat(event.endpoint()).isEqualTo(Endpoint.CHAT_COMPLETIONS);
		assertThat(event.model()).startsWith("gpt-5");
	}

	@Test
	void openAiStreamThatAskedForUsageIsUntouched() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder().inputTokens(10).outputTokens(5).chunks(3).build());
		String request = "{\"model\":\"gpt-5-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

		byte[] body = this.client.post()
			.uri("/v1/chat/completions")
			.header("Authorization", "Bearer " + key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();

		assertThat(relay.last().requestBody()).isEqualTo(request.getBytes(StandardCharsets.UTF_8));
		assertThat(body).isEqualTo(relay.last().responseBytes());
		assertThat(single(key).tokens().input()).isEqualTo(10);
	}

	@Test
	void openAiResponsesAreMeteredWithReasoningAndServiceTier() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder()
			.inputTokens(1200)
			.cacheRead(800)
			.outputTokens(500)
			.reasoningTokens(320)
			.serviceTier("priority")
			.build());
		byte[] body = this.client.post()
			.uri("/v1/responses")
			.header("Authorization", "Bearer " + key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"o4-mini\",\"input\":\"Think hard\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();

		assertThat(body).isEqualTo(relay.last().responseBytes());
		UsageEvent event = single(key);
		assertThat(event.tokens()).isEqualTo(new TokenCounts(1200, 500, 0, 0, 800, 320, 0));
		assertThat(event.serviceTier()).isEqualTo(ServiceTier.PRIORITY);
		assertThat(event.endpoint()).isEqualTo(Endpoint.RESPONSES);
	}

	@Test
	void geminiStreamIsMeteredFromTheLastCumulativeChunkAndItsKeyNeverLeaves() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder()
			.inputTokens(900)
			.cacheRead(100)
			.outputTokens(60)
			.reasoningTokens(25)
			.chunks(5)
			.build());
		byte[] body = this.client.post()
			.uri("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&key=" + key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();

		RecordingRelay.Exchange upstream = relay.last();
		assertThat(upstream.uri()).isEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
		assertThat(upstream.requestHeaders()).containsEntry("x-goog-api-key", GEMINI_KEY);
		assertThat(body).isEqualTo(upstream.responseBytes());
		UsageEvent event = single(key);
		assertThat(event.tokens()).isEqualTo(new TokenCounts(900, 60, 0, 0, 100, 25, 0));
		assertThat(event.provider()).isEqualTo(Provider.GEMINI);
		assertThat(event.streamed()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					/v1/chat/completions | Bearer | {"model":"gpt-5","messages":[{"role":"user","content":"Hi"}]} | false
					/v1/responses | Bearer | {"model":"gpt-5","stream":true,"input":"Hi"} | true
					/v1beta/models/gemini-2.5-flash:generateContent | x-goog-api-key | {"contents":[{"parts":[{"text":"Hi"}]}]} | false
					/v1beta/models/gemini-2.5-flash:streamGenerateContent | x-goog-api-key | {"contents":[{"parts":[{"text":"Hi"}]}]} | true
					""")
	void otherRoutesPassThroughByteForByteAndAreMetered(String path, String credential, String request,
			boolean streamed) {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder().inputTokens(321).outputTokens(45).chunks(6).build());
		byte[] body = this.client.post().uri(path).headers((headers) -> {
			if (credential.equals("Bearer")) {
				headers.setBearerAuth(key.secret());
			}
			else {
				headers.set(credential, key.secret());
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();

		RecordingRelay.Exchange upstream = relay.last();
		assertThat(upstream.requestBody()).isEqualTo(request.getBytes(StandardCharsets.UTF_8));
		assertThat(body).isEqualTo(upstream.responseBytes());
		UsageEvent event = single(key);
		assertThat(event.tokens().input()).isEqualTo(321);
		assertThat(event.tokens().output()).isEqualTo(45);
		assertThat(event.streamed()).isEqualTo(streamed);
		assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
	}

	@Test
	void upstreamErrorsPassThroughUnchangedAndAreRecorded() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.builder().error(ScriptedError.of(429).withRetryAfter(Duration.ofSeconds(7))).build());
		EntityExchangeResult<byte[]> result = this.client.post()
			.uri("/v1/messages")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"" + CLAUDE + "\",\"max_tokens\":10,\"messages\":[]}")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals("retry-after", "7")
			.expectBody(byte[].class)
			.returnResult();

		RecordingRelay.Exchange upstream = relay.last();
		assertThat(result.getResponseBody()).isEqualTo(upstream.responseBytes());
		assertThat(result.getResponseHeaders().getFirst("request-id"))
			.isEqualTo(upstream.responseHeaders().get("request-id"));
		UsageEvent event = single(key);
		assertThat(event.outcome()).isEqualTo(Outcome.UPSTREAM_ERROR);
		assertThat(event.httpStatus()).isEqualTo(429);
		assertThat(event.tokens()).isEqualTo(TokenCounts.ZERO);
	}

	@Test
	void clientAbortMidStreamCancelsUpstreamAndRecordsTokensSeen() {
		TenantKey key = TestTenants.create(this.client);
		int cancelledBefore = simulator.cancelledStreams();
		simulator.enqueue(Script.builder()
			.inputTokens(3000)
			.outputTokens(5000)
			.chunks(500)
			.chunkDelay(Duration.ofMillis(20))
			.build());
		List<String> firstEvents = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/v1/messages")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"" + CLAUDE + "\",\"max_tokens\":8000,\"stream\":true,\"messages\":[]}")
			.retrieve()
			.bodyToFlux(String.class)
			.take(8)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(firstEvents).hasSize(8);

		await().atMost(Duration.ofSeconds(20)).until(() -> simulator.cancelledStreams() > cancelledBefore);
		UsageEvent event = single(key);
		assertThat(event.outcome()).isEqualTo(Outcome.CLIENT_ABORTED);
		assertThat(event.tokens().input()).isEqualTo(3000);
		assertThat(event.tokens().output()).isLessThan(5000);
	}

	@Test
	void countTokensIsPassedThroughAndNotMetered() {
		TenantKey key = TestTenants.create(this.client);
		simulator.enqueue(Script.tokens(1234, 0));
		this.client.post()
			.uri("/v1/messages/count_tokens")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"" + CLAUDE + "\",\"messages\":[]}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.input_tokens")
			.isEqualTo(1234);
		// A metered call after it is the tenant's first and only event.
		simulator.enqueue(Script.tokens(1, 1));
		this.client.post()
			.uri("/v1/messages")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"" + CLAUDE + "\",\"max_tokens\":10,\"messages\":[]}")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(single(key).tokens().input()).isEqualTo(1);
	}

	@Test
	void batchResultsAreMeteredWithIdsThatMakeASecondReadCountNothing() {
		TenantKey key = TestTenants.create(this.client);
		String batchId = "msgbatch_" + key.tenantId().replace("-", "");
		simulator.addBatch(batchId,
				List.of(BatchResult.succeeded("first", CLAUDE, Script.tokens(100, 10)),
						BatchResult.errored("second", "invalid_request_error", "bad"),
						BatchResult.succeeded("third", CLAUDE, Script.tokens(300, 30))));
		for (int read = 0; read < 2; read++) {
			this.client.get()
				.uri("/v1/messages/batches/{id}/results", batchId)
				.header("x-api-key", key.secret())
				.exchange()
				.expectStatus()
				.isOk();
		}
		List<UsageEvent> events = UsageTopic.eventsOf(key.tenantId(), 4);
		assertThat(events).hasSize(4);
		assertThat(events).extracting(UsageEvent::eventId)
			.containsOnly(BatchResultsParser.eventIdFor(batchId, "first"),
					BatchResultsParser.eventIdFor(batchId, "third"));
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.serviceTier()).isEqualTo(ServiceTier.BATCH);
			assertThat(event.endpoint()).isEqualTo(Endpoint.BATCH);
		});
	}

	@Test
	void badRevokedAndMissingKeysAreRefusedInTheProvidersShape() {
		TenantKey key = TestTenants.create(this.client);
		this.client.delete()
			.uri("/admin/v1/tenants/{tenant}/keys/{key}", key.tenantId(), key.keyId())
			.headers((headers) -> headers.setBearerAuth(GatewayIntegrationTest.ADMIN_TOKEN))
			.exchange()
			.expectStatus()
			.isOk();
		int before = relay.exchanges().size();
		this.client.post()
			.uri("/v1/messages")
			.header("x-api-key", key.secret())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("error")
			.jsonPath("$.error.type")
			.isEqualTo("authentication_error")
			.jsonPath("$.error.code")
			.isEqualTo("invalid_api_key");
		this.client.post()
			.uri("/v1/chat/completions")
			.header("Authorization", "Bearer sk-proj-not-a-tollgate-key")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("invalid_api_key")
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error");
		this.client.post()
			.uri("/v1beta/models/gemini-2.5-flash:generateContent")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.status")
			.isEqualTo("UNAUTHENTICATED");
		assertThat(relay.exchanges()).hasSize(before);
	}

	private static UsageEvent single(TenantKey key) {
		List<UsageEvent> events = UsageTopic.eventsOf(key.tenantId(), 1);
		assertThat(events).hasSize(1);
		return events.getFirst();
	}

}
