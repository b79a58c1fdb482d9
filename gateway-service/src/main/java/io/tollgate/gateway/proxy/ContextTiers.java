package io.tollgate.gateway.proxy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.ContextTier;
import io.tollgate.gateway.config.GatewayProperties;

import org.springframework.stereotype.Component;

/**
 * Decides a request's context tier from its total input (uncached, cache writes and cache
 * reads together, as the providers price it): {@code long} above the model's threshold.
 * The threshold is the one configured for the longest model-name prefix that matches,
 * else the default (200,000 tokens, where Anthropic and Gemini start their long-context
 * prices).
 */
@Component
class ContextTiers {

	private final long defaultThreshold;

	private final List<Map.Entry<String, Long>> byPrefix;

	ContextTiers(GatewayProperties properties) {
		this.defaultThreshold = properties.usage().longContextThresholdTokens();
		this.byPrefix = properties.usage()
			.longContextThresholds()
			.entrySet()
			.stream()
			.sorted(Comparator.comparingInt((Map.Entry<String, Long> entry) -> entry.getKey().length()).reversed())
			.toList();
	}

	ContextTier tierOf(String model, long totalInputTokens) {
		long threshold = this.defaultThreshold;
		for (Map.Entry<String, Long> entry : this.byPrefix) {
			if (model.startsWith(entry.getKey())) {
				threshold = entry.getValue();
				break;
			}
		}
		return (totalInputTokens > threshold) ? ContextTier.LONG : ContextTier.STANDARD;
	}

}
