package io.tollgate.gateway.proxy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tollgate.contract.Endpoint;
import io.tollgate.contract.Outcome;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.UsageEvent;
import io.tollgate.contract.frontdoor.Caller;
import io.tollgate.gateway.proxy.usage.ExtractedUsage;
import io.tollgate.gateway.proxy.usage.UsageTap;
import io.tollgate.gateway.usage.UsagePublisher;
import org.jspecify.annotations.Nullable;

/**
 * The meter of one proxied call: fingerprints the request as it streams up, taps the
 * response as it streams down, and turns what it saw into exactly one usage event when
 * the call ends, however it ends (completed, upstream error, client abort).
 */
final class CallMeter {

	private final Caller.Tenant caller;

	private final ProviderRoute route;

	private final @Nullable String requestModel;

	private final Map<String, String> labels;

	private final ContextTiers contextTiers;

	private final UsagePublisher publisher;

	private final Clock clock;

	private final Instant startedAt;

	private final long startNanos = System.nanoTime();

	private final MessageDigest fingerprint;

	private final AtomicBoolean finished = new AtomicBoolean();

	private volatile long upstreamLatencyMs = -1;

	private volatile int status;

	private volatile boolean streamed;

	private volatile @Nullable UsageTap tap;

	CallMeter(Caller.Tenant caller, ProviderRoute route, @Nullable String requestModel, Map<String, String> labels,
			ContextTiers contextTiers, UsagePublisher publisher, Clock clock) {
		this.caller = caller;
		this.clock = clock;
		this.startedAt = clock.instant();
		this.route = route;
		this.requestModel = requestModel;
		this.labels = labels;
		this.contextTiers = contextTiers;
		this.publisher = publisher;
		try {
			this.fingerprint = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	void requestBytes(ByteBuffer bytes) {
		this.fingerprint.update(bytes);
	}

	/**
	 * The upstream answered with its status and headers: from here on its body is tapped.
	 */
	void responded(int statusCode, boolean streaming) {
		this.upstreamLatencyMs = (System.nanoTime() - this.startNanos) / 1_000_000;
		this.status = statusCode;
		this.streamed = streaming;
		UsageTap.Format tapFormat = this.route.tap();
		if (tapFormat != null && statusCode < 400) {
			this.tap = UsageTap.forFormat(tapFormat, streaming);
		}
	}

	void responseBytes(ByteBuffer bytes) {
		UsageTap current = this.tap;
		if (current != null) {
			current.accept(bytes);
		}
	}

	/**
	 * Ends the call and publishes its usage event; only the first call has an effect.
	 * @param outcome how it ended
	 */
	void finish(Outcome outcome) {
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		UsageTap current = this.tap;
		ExtractedUsage usage = ExtractedUsage.none();
		if (current != null) {
			if (outcome != Outcome.CLIENT_ABORTED) {
				current.complete();
			}
			usage = current.usage();
		}
		int httpStatus = (this.status != 0) ? this.status : 502;
		Outcome effective = (outcome == Outcome.SUCCESS && httpStatus >= 400) ? Outcome.UPSTREAM_ERROR : outcome;
		this.publisher.publish(event(usage, effective, httpStatus));
	}

	private UsageEvent event(ExtractedUsage usage, Outcome outcome, int httpStatus) {
		String model = (usage.model() != null) ? usage.model()
				: (this.requestModel != null) ? this.requestModel : "unknown";
		TokenCounts tokens = new TokenCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheWrite5mTokens(),
				usage.cacheWrite1hTokens(), usage.cacheReadTokens(), usage.reasoningTokens(), usage.serverToolUses());
		long totalInput = tokens.totalInput();
		Instant completedAt = this.clock.instant();
		long latency = (this.upstreamLatencyMs >= 0) ? this.upstreamLatencyMs
				: (System.nanoTime() - this.startNanos) / 1_000_000;
		Endpoint endpoint = this.route.endpoint();
		return UsageEvent.builder()
			.tenantId(this.caller.tenantId())
			.apiKeyId(this.caller.apiKeyId())
			.labels(this.labels)
			.provider(this.route.provider())
			.model(model)
			.endpoint((endpoint != null) ? endpoint : Endpoint.MESSAGES)
			.serviceTier(serviceTier(usage.serviceTier()))
			.streamed(this.streamed)
			.tokens(tokens)
			.contextTier(this.contextTiers.tierOf(model, totalInput))
			.outcome(outcome)
			.httpStatus(httpStatus)
			.stopReason(usage.stopReason())
			.requestFingerprint(HexFormat.of().formatHex(this.fingerprint.digest(), 0, 16))
			.startedAt(this.startedAt)
			.completedAt(completedAt.isBefore(this.startedAt) ? this.startedAt : completedAt)
			.upstreamLatencyMs(latency)
			.build();
	}

	/**
	 * Maps a provider's tier name to the contract's: Anthropic says standard, priority or
	 * batch; OpenAI default, auto, flex, scale or priority; Gemini reports none.
	 */
	static ServiceTier serviceTier(@Nullable String reported) {
		if (reported == null) {
			return ServiceTier.STANDARD;
		}
		return switch (reported.toLowerCase(Locale.ROOT)) {
			case "priority", "scale" -> ServiceTier.PRIORITY;
			case "flex" -> ServiceTier.FLEX;
			case "batch" -> ServiceTier.BATCH;
			default -> ServiceTier.STANDARD;
		};
	}

}
