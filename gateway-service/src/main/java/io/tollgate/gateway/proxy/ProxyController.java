package io.tollgate.gateway.proxy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Endpoint;
import io.tollgate.contract.Outcome;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.UsageEvent;
import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.support.web.Callers;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.proxy.usage.BatchResultUsage;
import io.tollgate.gateway.proxy.usage.BatchResultsParser;
import io.tollgate.gateway.proxy.usage.ExtractedUsage;
import io.tollgate.gateway.proxy.usage.OpenAiUsageChunkFilter;
import io.tollgate.gateway.proxy.usage.OpenAiUsageInjection;
import io.tollgate.gateway.usage.UsagePublisher;
import io.tollgate.support.web.ApiException;
import io.tollgate.gateway.web.DataBuffers;
import io.tollgate.gateway.web.ForwardedHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Proxies the providers' model routes. The request body streams up unchanged (except for
 * the OpenAI {@code include_usage} injection), the provider's credential replacing the
 * client's Tollgate key; the response streams down unchanged, each chunk flushed as it
 * arrives for event streams, while a {@link CallMeter} taps it. Nothing is buffered whole
 * except a streamed OpenAI chat request, which has to be read to be rewritten.
 *
 * <p>
 * Headers cross as {@link ForwardedHeaders} says; the provider's credential replaces the
 * client's Tollgate key, and the upstream is asked for an identity encoding, so that the
 * gateway can read the usage in what it relays.
 */
@RestController
class ProxyController {

	private static final Logger logger = LoggerFactory.getLogger(ProxyController.class);

	private static final int MAX_LABELS = 32;

	private final WebClient upstream;

	private final GatewayProperties.Providers providers;

	private final ContextTiers contextTiers;

	private final UsagePublisher publisher;

	private final Clock clock;

	/**
	 * Largest streamed chat request the gateway reads whole to add {@code include_usage}
	 * (requests with images run to tens of megabytes).
	 */
	private static final int MAX_BUFFERED_REQUEST_BYTES = 64 * 1024 * 1024;

	ProxyController(WebClient upstreamWebClient, GatewayProperties properties, ContextTiers contextTiers,
			UsagePublisher publisher, Clock clock) {
		this.upstream = upstreamWebClient;
		this.clock = clock;
		this.providers = properties.providers();
		this.contextTiers = contextTiers;
		this.publisher = publisher;
	}

	@PostMapping("/v1/messages")
	Mono<Void> messages(ServerWebExchange exchange) {
		return proxy(exchange, ProviderRoute.ANTHROPIC_MESSAGES, null);
	}

	@PostMapping("/v1/messages/count_tokens")
	Mono<Void> countTokens(ServerWebExchange exchange) {
		return proxy(exchange, ProviderRoute.ANTHROPIC_COUNT_TOKENS, null);
	}

	@PostMapping({ "/v1/messages/batches", "/v1/messages/batches/{batchId}/cancel" })
	Mono<Void> batchCommands(ServerWebExchange exchange) {
		return proxy(exchange, ProviderRoute.ANTHROPIC_BATCHES, null);
	}

	@GetMapping({ "/v1/messages/batches", "/v1/messages/batches/{batchId}" })
	Mono<Void> batchQueries(ServerWebExchange exchange) {
		return proxy(exchange, ProviderRoute.ANTHROPIC_BATCHES, null);
	}

	@DeleteMapping("/v1/messages/batches/{batchId}")
	Mono<Void> deleteBatch(ServerWebExchange exchange) {
		return proxy(exchange, ProviderRoute.ANTHROPIC_BATCHES, null);
	}

	@GetMapping("/v1/messages/batches/{batchId}/results")
	Mono<Void> batchResults(ServerWebExchange exchange, @PathVariable String batchId) {
		return proxy(exchange, ProviderRoute.ANTHROPIC_BATCH_RESULTS, batchId);
	}

	@PostMapping("/v1/chat/completions")
	Mono<Void> chatCompletions(ServerWebExchange exchange) {
		return proxy(exchange, ProviderRoute.OPENAI_CHAT, null);
	}

	@PostMapping("/v1/responses")
	Mono<Void> responses(ServerWebExchange exchange) {
		return proxy(exchange, ProviderRoute.OPENAI_RESPONSES, null);
	}

	@PostMapping("/v1beta/models/{target}")
	Mono<Void> gemini(ServerWebExchange exchange, @PathVariable String target) {
		int colon = target.lastIndexOf(':');
		String method = (colon > 0) ? target.substring(colon + 1) : "";
		if (!method.equals("generateContent") && !method.equals("streamGenerateContent")) {
			return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "unknown_route",
					"The gateway proxies :generateContent and :streamGenerateContent, not '" + target + "'"));
		}
		return proxy(exchange, ProviderRoute.GEMINI_GENERATE, target.substring(0, colon));
	}

	/**
	 * @param detail the batch id for batch results, the model for Gemini, else null
	 */
	private Mono<Void> proxy(ServerWebExchange exchange, ProviderRoute route, @Nullable String detail) {
		if (!(Callers.of(exchange) instanceof Caller.Tenant tenant)) {
			return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "tenant_key_required",
					"Model calls need a tenant's Tollgate key, not the admin credential"));
		}
		ServerHttpRequest request = exchange.getRequest();
		Map<String, String> labels = labels(request.getHeaders());
		GatewayProperties.Upstream provider = upstreamOf(route);
		URI uri = URI.create(stripTrailingSlash(provider.baseUrl().toString()) + request.getPath().value()
				+ upstreamQuery(request.getURI().getRawQuery()));
		String requestModel = (route == ProviderRoute.GEMINI_GENERATE) ? detail : null;
		CallMeter meter = (route.endpoint() != null && route != ProviderRoute.ANTHROPIC_BATCH_RESULTS)
				? new CallMeter(tenant, route, requestModel, labels, this.contextTiers, this.publisher, this.clock)
				: null;
		Call call = new Call(exchange, route, tenant, detail, provider, uri, meter);
		if (route == ProviderRoute.OPENAI_CHAT) {
			return DataBufferUtils.join(request.getBody(), MAX_BUFFERED_REQUEST_BYTES)
				.map(DataBuffers::drain)
				.defaultIfEmpty(new byte[0])
				.flatMap((body) -> {
					OpenAiUsageInjection.RequestRewrite rewrite = OpenAiUsageInjection.rewriteRequest(body);
					if (meter != null) {
						meter.requestBytes(ByteBuffer.wrap(rewrite.body()));
					}
					Flux<DataBuffer> upBody = Flux.just(exchange.getResponse().bufferFactory().wrap(rewrite.body()));
					return forward(call, upBody, rewrite.body().length, OpenAiUsageChunkFilter.forRewrite(rewrite));
				});
		}
		Flux<DataBuffer> body = request.getBody();
		if (meter != null) {
			body = body.doOnNext((buffer) -> {
				try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
					views.forEachRemaining(meter::requestBytes);
				}
			});
		}
		return forward(call, body, -1, OpenAiUsageChunkFilter.passThrough());
	}

	/**
	 * One proxied call, as {@link #proxy} resolved it.
	 *
	 * @param exchange the client's exchange
	 * @param route the provider route
	 * @param tenant the calling tenant's key
	 * @param detail the batch id for batch results, the model for Gemini, else null
	 * @param provider the upstream's settings
	 * @param uri the upstream URI
	 * @param meter meters the call, or null where the route is not metered per call
	 */
	private record Call(ServerWebExchange exchange, ProviderRoute route, Caller.Tenant tenant, @Nullable String detail,
			GatewayProperties.Upstream provider, URI uri, @Nullable CallMeter meter) {

	}

	private Mono<Void> forward(Call call, Flux<DataBuffer> body, long rewrittenLength, OpenAiUsageChunkFilter filter) {
		ServerWebExchange exchange = call.exchange();
		ProviderRoute route = call.route();
		CallMeter meter = call.meter();
		ServerHttpRequest request = exchange.getRequest();
		HttpMethod method = request.getMethod();
		WebClient.RequestBodySpec spec = this.upstream.method(method)
			.uri(call.uri())
			.headers((headers) -> upstreamHeaders(request.getHeaders(), headers, route, call.provider(),
					rewrittenLength));
		WebClient.RequestHeadersSpec<?> ready = (method == HttpMethod.GET || method == HttpMethod.DELETE) ? spec
				: spec.body(BodyInserters.fromDataBuffers(body));
		return ready.exchangeToMono((response) -> relay(call, response, filter))
			.onErrorMap(WebClientRequestException.class, (ex) -> {
				if (meter != null) {
					meter.finish(Outcome.UPSTREAM_ERROR);
				}
				logger.warn("{} is unreachable: {}", route.provider().wire(), ex.getMostSpecificCause().toString());
				return new ApiException(HttpStatus.BAD_GATEWAY, "upstream_unavailable", "The gateway could not reach "
						+ route.provider().wire() + ": " + ex.getMostSpecificCause().getMessage());
			});
	}

	private Mono<Void> relay(Call call, ClientResponse upstreamResponse, OpenAiUsageChunkFilter filter) {
		ProviderRoute route = call.route();
		CallMeter meter = call.meter();
		String batchId = call.detail();
		ServerHttpResponse response = call.exchange().getResponse();
		int status = upstreamResponse.statusCode().value();
		response.setStatusCode(upstreamResponse.statusCode());
		HttpHeaders upstreamHeaders = upstreamResponse.headers().asHttpHeaders();
		boolean streaming = isEventStream(upstreamHeaders) || call.uri().getPath().endsWith(":streamGenerateContent");
		boolean rewriting = !filter.passesThrough() && status < 400;
		ForwardedHeaders.copyResponse(upstreamHeaders, response.getHeaders(), rewriting);
		if (meter != null) {
			meter.responded(status, streaming);
		}
		Flux<DataBuffer> body = upstreamResponse.bodyToFlux(DataBuffer.class);
		if (meter != null) {
			body = body.doOnNext((buffer) -> {
				try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
					views.forEachRemaining(meter::responseBytes);
				}
			});
		}
		if (route == ProviderRoute.ANTHROPIC_BATCH_RESULTS && status < 400 && batchId != null) {
			body = meterBatchResults(body, call.tenant(), batchId);
		}
		if (rewriting) {
			body = Flux
				.concat(body.map((buffer) -> filtered(buffer, filter, response)),
						Mono.fromCallable(() -> response.bufferFactory().wrap(filter.finish())))
				.filter((buffer) -> buffer.readableByteCount() > 0);
		}
		if (meter != null) {
			body = body.doOnComplete(() -> meter.finish(Outcome.SUCCESS))
				.doOnError((ex) -> meter.finish(Outcome.UPSTREAM_ERROR))
				.doOnCancel(() -> meter.finish(Outcome.CLIENT_ABORTED));
		}
		// Reactor Netty flushes whenever the upstream has nothing more ready: each event
		// still
		// leaves as soon as it arrives, but events that arrive together share one flush.
		return response.writeWith(body);
	}

	private static DataBuffer filtered(DataBuffer buffer, OpenAiUsageChunkFilter filter, ServerHttpResponse response) {
		ByteBuffer out = filter.filter(ByteBuffer.wrap(DataBuffers.drain(buffer)));
		byte[] copy = new byte[out.remaining()];
		out.get(copy);
		return response.bufferFactory().wrap(copy);
	}

	/**
	 * Meters each succeeded batch result once per (batch, custom_id): the event id is
	 * derived from both, so reading the results again yields the same ids and counts
	 * nothing twice.
	 */
	private Flux<DataBuffer> meterBatchResults(Flux<DataBuffer> body, Caller.Tenant tenant, String batchId) {
		Instant startedAt = this.clock.instant();
		BatchResultsParser parser = new BatchResultsParser(
				(result) -> this.publisher.publish(batchEvent(tenant, batchId, result, startedAt)));
		return body.doOnNext((buffer) -> {
			try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
				views.forEachRemaining(parser::accept);
			}
		}).doOnComplete(parser::complete);
	}

	private UsageEvent batchEvent(Caller.Tenant tenant, String batchId, BatchResultUsage result, Instant startedAt) {
		ExtractedUsage usage = result.usage();
		TokenCounts tokens = new TokenCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheWrite5mTokens(),
				usage.cacheWrite1hTokens(), usage.cacheReadTokens(), usage.reasoningTokens(), usage.serverToolUses());
		String model = (usage.model() != null) ? usage.model() : "unknown";
		ContextTier tier = this.contextTiers.tierOf(model, tokens.totalInput());
		Instant now = this.clock.instant();
		return UsageEvent.builder()
			.eventId(BatchResultsParser.eventIdFor(batchId, result.customId()))
			.tenantId(tenant.tenantId())
			.apiKeyId(tenant.apiKeyId())
			.labels(Map.of("batch_id", batchId, "custom_id", result.customId()))
			.provider(io.tollgate.contract.Provider.ANTHROPIC)
			.model(model)
			.endpoint(Endpoint.BATCH)
			.serviceTier(ServiceTier.BATCH)
			.tokens(tokens)
			.contextTier(tier)
			.stopReason(usage.stopReason())
			.startedAt(startedAt)
			.completedAt(now)
			.build();
	}

	private void upstreamHeaders(HttpHeaders incoming, HttpHeaders outgoing, ProviderRoute route,
			GatewayProperties.Upstream provider, long rewrittenLength) {
		ForwardedHeaders.copyRequest(incoming, outgoing);
		// Identity, so that the usage in the response can be read as it passes.
		outgoing.set(HttpHeaders.ACCEPT_ENCODING, "identity");
		if (rewrittenLength >= 0) {
			outgoing.setContentLength(rewrittenLength);
		}
		String key = provider.apiKey();
		if (!key.isEmpty()) {
			switch (route.provider()) {
				case ANTHROPIC -> outgoing.set("x-api-key", key);
				case OPENAI -> outgoing.setBearerAuth(key);
				case GEMINI -> outgoing.set("x-goog-api-key", key);
			}
		}
	}

	/**
	 * Drops Gemini's {@code key} parameter (the client's Tollgate key); keeps the rest as
	 * sent.
	 */
	private static String upstreamQuery(@Nullable String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return "";
		}
		StringBuilder kept = new StringBuilder();
		for (String parameter : rawQuery.split("&")) {
			if (parameter.equals("key") || parameter.startsWith("key=")) {
				continue;
			}
			kept.append((kept.length() == 0) ? "?" : "&").append(parameter);
		}
		return kept.toString();
	}

	/**
	 * Reads {@code x-tollgate-labels: team=search, env=prod}: labels the usage event
	 * carries.
	 */
	private static Map<String, String> labels(HttpHeaders headers) {
		String header = headers.getFirst("x-tollgate-labels");
		if (header == null || header.isBlank()) {
			return Map.of();
		}
		Map<String, String> labels = new LinkedHashMap<>();
		for (String pair : header.split(",")) {
			int equals = pair.indexOf('=');
			String name = (equals > 0) ? pair.substring(0, equals).strip() : "";
			String value = (equals > 0) ? pair.substring(equals + 1).strip() : "";
			if (name.isEmpty() || name.length() > 64 || value.length() > 256 || labels.size() >= MAX_LABELS) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_labels",
						"x-tollgate-labels takes up to " + MAX_LABELS
								+ " comma-separated name=value pairs (names up to 64, values up to 256 characters)");
			}
			labels.put(name, value);
		}
		return labels;
	}

	private GatewayProperties.Upstream upstreamOf(ProviderRoute route) {
		return switch (route.provider()) {
			case ANTHROPIC -> this.providers.anthropic();
			case OPENAI -> this.providers.openai();
			case GEMINI -> this.providers.gemini();
		};
	}

	private static boolean isEventStream(HttpHeaders headers) {
		MediaType type = headers.getContentType();
		return type != null && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM);
	}

	private static String stripTrailingSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
