package io.tollgate.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Valid events of every type, the starting point of the tests' variations.
 */
final class Samples {

	static final String EVENT_ID = "0190f5d2-8c3a-7b4e-9a1c-2b3c4d5e6f70";

	private Samples() {
	}

	static UsageEvent usage() {
		return UsageEvent.builder()
			.eventId(EVENT_ID)
			.tenantId("tenant-acme")
			.apiKeyId("key_01J9")
			.labels(Map.of("team", "search", "env", "prod"))
			.provider(Provider.ANTHROPIC)
			.model("claude-sonnet-4-5-20250929")
			.endpoint(Endpoint.MESSAGES)
			.streamed(true)
			.tokens(new TokenCounts(1200, 350, 2000, 500, 50000, 120, 2))
			.totalInputTokens(53700)
			.stopReason("end_turn")
			.requestFingerprint("sha256:9f86d081884c7d65")
			.startedAt(Instant.parse("2025-06-01T12:00:00.123Z"))
			.completedAt(Instant.parse("2025-06-01T12:00:04.567Z"))
			.upstreamLatencyMs(4300)
			.build();
	}

	static MeteredUsage metered() {
		return new MeteredUsage("tenant-acme/key_01J9/2025-06-01T12:00Z/1m/p3-o1042", "tenant-acme", "key_01J9",
				Provider.OPENAI, "gpt-4o-2024-08-06", ServiceTier.FLEX, ContextTier.LONG,
				Instant.parse("2025-06-01T12:00:00Z"), BucketWidth.ONE_MINUTE, 12, 10, 1, 1,
				new TokenCounts(120000, 4000, 0, 0, 30000, 900, 0), Instant.parse("2025-06-01T12:01:02.5Z"));
	}

	static SpendUpdate spend() {
		return new SpendUpdate("spend-tenant-acme-000042", "tenant-acme", null, Instant.parse("2025-06-01T00:00:00Z"),
				Instant.parse("2025-07-01T00:00:00Z"), SpendUpdate.USD, new BigDecimal("12.345678"),
				new BigDecimal("500.00"), new BigDecimal("371.0000001"), Instant.parse("2025-06-01T12:01:03Z"), false,
				List.of(50, 80, 100));
	}

	static KeyControl keyControl() {
		return new KeyControl("ctl-7f3a", "tenant-acme", "key_01J9", KeyAction.PAUSE, KeyControl.BUDGET_EXHAUSTED,
				"Monthly budget of 500.00 USD reached", Instant.parse("2025-07-01T00:00:00Z"),
				Instant.parse("2025-06-20T08:15:00Z"));
	}

	static List<ContractEvent> all() {
		return List.of(usage(), metered(), spend(), keyControl());
	}

}
