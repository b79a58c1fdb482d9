package io.tollgate.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the gateway, bound from {@code tollgate.gateway.*} (environment
 * variables in README.md) and validated at start-up, so that a wrong setting stops the
 * gateway with a message naming it rather than failing a request later.
 *
 * @param adminToken the admin credential (at least 32 characters); no default on purpose:
 * an admin API with a guessable default token is worse than one that refuses to start
 * @param providers the upstream providers
 * @param keys the API key cache
 * @param usage how usage events are published and spooled
 * @param ingest limits of the usage ingest API
 * @param frontDoor the tenant and admin API routes the gateway forwards to other services
 * @param keyControls how the gateway follows the key pause and resume decisions
 */
@ConfigurationProperties("tollgate.gateway")
@Validated
public record GatewayProperties(
		@NotBlank(message = "set TOLLGATE_ADMIN_TOKEN to a random secret of at least 32 characters") @Size(min = 32,
				message = "TOLLGATE_ADMIN_TOKEN must be at least 32 characters") String adminToken,
		@Valid @NotNull Providers providers, @Valid @DefaultValue Keys keys, @Valid @DefaultValue Usage usage,
		@Valid @DefaultValue Ingest ingest, @Valid @DefaultValue FrontDoor frontDoor,
		@Valid @DefaultValue KeyControls keyControls) {

	/**
	 * The upstream providers.
	 *
	 * @param anthropic Anthropic's API
	 * @param openai OpenAI's API
	 * @param gemini Google's Gemini API
	 * @param connectTimeout TCP connect timeout for upstream calls
	 * @param responseTimeout longest wait for the upstream's response headers (streams
	 * may run longer once started)
	 */
	public record Providers(@Valid @NotNull Upstream anthropic, @Valid @NotNull Upstream openai,
			@Valid @NotNull Upstream gemini, @DefaultValue("10s") Duration connectTimeout,
			@DefaultValue("600s") Duration responseTimeout) {

	}

	/**
	 * One upstream provider.
	 *
	 * @param baseUrl its base URL, without a trailing path
	 * @param apiKey the provider credential the gateway adds to every call (clients never
	 * send or see it); empty means calls go out without one
	 */
	public record Upstream(@NotNull URI baseUrl, @DefaultValue("") String apiKey) {

	}

	/**
	 * The in-memory cache of API key lookups that keeps PostgreSQL off the proxy's hot
	 * path.
	 *
	 * @param cacheTtl how long a known key stays cached (revocations evict it at once)
	 * @param negativeCacheTtl how long an unknown key stays cached as unknown
	 * @param cacheMaxSize most keys cached
	 */
	public record Keys(@DefaultValue("5m") Duration cacheTtl, @DefaultValue("10s") Duration negativeCacheTtl,
			@DefaultValue("100000") @Min(100) long cacheMaxSize) {

	}

	/**
	 * Usage publishing.
	 *
	 * @param spoolDirectory where the write-ahead spool of usage events lives
	 * @param spoolMaxSize the spool's bound on disk; past it new events are counted as
	 * failed and logged, never block a call
	 * @param spoolSegmentSize size at which a spool segment file is rolled
	 * @param longContextThresholdTokens total input tokens above which a request is in
	 * the long context tier, unless a model-specific threshold applies
	 * @param longContextThresholds model-name prefix to threshold, for models whose long
	 * context tier starts elsewhere
	 * @param topicPartitions partitions of the usage topic when the gateway creates it
	 * @param topicReplicas replicas of the usage topic when the gateway creates it
	 */
	public record Usage(@DefaultValue("data/spool") Path spoolDirectory, @DefaultValue("1GB") DataSize spoolMaxSize,
			@DefaultValue("16MB") DataSize spoolSegmentSize,
			@DefaultValue("200000") @Min(1) long longContextThresholdTokens,
			@DefaultValue Map<String, Long> longContextThresholds, @DefaultValue("12") @Min(1) int topicPartitions,
			@DefaultValue("1") @Min(1) short topicReplicas) {

	}

	/**
	 * Limits of {@code POST /v1/usage-events}.
	 *
	 * @param maxEvents most events in one request
	 * @param maxPayloadSize largest request body
	 * @param publishTimeout longest wait for Kafka to acknowledge accepted events
	 */
	public record Ingest(@DefaultValue("1000") @Min(1) int maxEvents, @DefaultValue("1MB") DataSize maxPayloadSize,
			@DefaultValue("10s") Duration publishTimeout) {

	}

	/**
	 * Following the key-controls topic, on which alerting publishes its pause and resume
	 * decisions.
	 *
	 * @param enabled whether the gateway follows the topic and refuses paused keys; off,
	 * nothing is ever paused and readiness does not wait for the topic (for a gateway
	 * deployed without alerting)
	 * @param pollTimeout longest wait of one poll of the topic: a decision is applied as
	 * soon as it arrives, and this bounds how long stopping takes; well under the second
	 * within which a decision must be in force
	 * @param topicCheckInterval how often the gateway looks for the topic while it does
	 * not exist yet (alerting creates it); also the first wait after a failed poll, which
	 * doubles up to 10 s
	 */
	public record KeyControls(@DefaultValue("true") boolean enabled, @DefaultValue("100ms") Duration pollTimeout,
			@DefaultValue("1s") Duration topicCheckInterval) {

	}

	/**
	 * The front door: tenant and admin API calls the gateway authenticates and forwards
	 * to the service that owns them, presenting the internal credential
	 * ({@code tollgate.service.internal-token}, shared with every service).
	 *
	 * @param routes the route table, matched by longest path prefix
	 */
	public record FrontDoor(@DefaultValue List<@Valid FrontDoorRoute> routes) {

	}

	/**
	 * One forwarded route.
	 *
	 * @param pathPrefix requests whose path is this prefix or starts with it followed by
	 * {@code /} are forwarded, e.g. {@code /v1/usage}
	 * @param serviceUrl the owning service's base URL, e.g. {@code http://metering:8081}
	 * @param access who may call it: {@code tenant} (a tenant key, or the admin
	 * credential naming a tenant) or {@code admin} (the admin credential only)
	 */
	public record FrontDoorRoute(@NotBlank String pathPrefix, @NotNull URI serviceUrl,
			@DefaultValue("tenant") Access access) {

	}

	/**
	 * Who may call a forwarded route.
	 */
	public enum Access {

		/** A tenant's key (acting on its own tenant) or the admin credential. */
		TENANT,

		/** The admin credential only. */
		ADMIN

	}

}
