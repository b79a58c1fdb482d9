package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import io.tollgate.gateway.proxy.usage.UsageTap.Format;
import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.ANTHROPIC_CACHED_STREAM_END;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.ANTHROPIC_CACHED_STREAM_START;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.ANTHROPIC_MESSAGE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.ANTHROPIC_WEB_SEARCH_STREAM;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.crlf;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapByteByByte;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapSplit;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapWhole;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class AnthropicUsageTapTests {

	private static final Supplier<UsageTap> STREAM_TAPS = () -> UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, true);

	private static final ExtractedUsage WEB_SEARCH_STREAM_USAGE = new ExtractedUsage("claude-sonnet-4-5-20250929",
			10682, 510, 0, 0, 0, 0, 2, "end_turn", "standard", true);

	@Test
	void splitsCacheWritesIntoFiveMinuteAndOneHourFromNonStreamedMessage() {
		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, false, ANTHROPIC_MESSAGE).usage();

		assertThat(usage).isEqualTo(new ExtractedUsage("claude-sonnet-4-5-20250929", 21, 393, 456, 1454, 3000, 0, 0,
				"end_turn", "standard", true));
		assertThat(usage.totalInputTokens()).isEqualTo(21 + 1910 + 3000);
	}

	@Test
	void countsLegacyCacheCreationTotalWithoutSplitAsFiveMinutes() {
		String message = """
				{"id":"msg_01","type":"message","role":"assistant","model":"claude-3-5-sonnet-20241022",
				 "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,
				 "usage":{"input_tokens":3,"cache_creation_input_tokens":2051,"cache_read_input_tokens":0,"output_tokens":12}}
				""";

		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, false, message).usage();

		assertThat(usage.cacheWrite5mTokens()).isEqualTo(2051);
		assertThat(usage.cacheWrite1hTokens()).isZero();
		assertThat(usage.totalInputTokens()).isEqualTo(2054);
		assertThat(usage.serviceTier()).isNull();
	}

	@Test
	void countsTheCacheWriteTotalTheSplitDoesNotAccountForAsFiveMinutes() {
		String message = """
				{"type":"message","model":"claude-sonnet-4-5","usage":{"input_tokens":5,"cache_creation_input_tokens":3000,
				 "cache_creation":{"ephemeral_1h_input_tokens":1000},"output_tokens":7}}
				""";

		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, false, message).usage();

		assertThat(usage.cacheWrite1hTokens()).isEqualTo(1000);
		assertThat(usage.cacheWrite5mTokens()).isEqualTo(2000);
	}

	@Test
	void countsWebSearchAndWebFetchServerToolUses() {
		String message = """
				{"id":"msg_01","type":"message","role":"assistant","model":"claude-opus-4-1-20250805",
				 "content":[{"type":"server_tool_use","id":"srvtoolu_01","name":"web_fetch","input":{"url":"https://example.com"}}],
				 "stop_reason":"end_turn","stop_sequence":null,
				 "usage":{"input_tokens":6039,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":931,
				  "server_tool_use":{"web_search_requests":2,"web_fetch_requests":1},"service_tier":"batch"}}
				""";

		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, false, message).usage();

		assertThat(usage.serverToolUses()).isEqualTo(3);
		assertThat(usage.serviceTier()).isEqualTo("batch");
	}

	@Test
	void takesLastCumulativeMessageDeltaNotTheSum() {
		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, true, ANTHROPIC_WEB_SEARCH_STREAM).usage();

		// 510 output tokens, not 89 + 510; one web search, not two; one fetch.
		assertThat(usage).isEqualTo(WEB_SEARCH_STREAM_USAGE);
	}

	@Test
	void messageDeltaInputCountsSupersedeMessageStart() {
		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, true, ANTHROPIC_WEB_SEARCH_STREAM).usage();

		// message_start said 2679; search results fed back made the call's input 10682.
		assertThat(usage.inputTokens()).isEqualTo(10682);
	}

	@Test
	void keepsMessageStartCacheSplitWhenDeltasCarryOnlyOutput() {
		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, true,
				ANTHROPIC_CACHED_STREAM_START + ANTHROPIC_CACHED_STREAM_END)
			.usage();

		assertThat(usage).isEqualTo(new ExtractedUsage("claude-opus-4-1-20250805", 12, 1024, 0, 2048, 1800, 0, 0,
				"max_tokens", "priority", true));
	}

	@Test
	void reportsUsageSeenBeforeAnAbortAfterMessageStart() {
		UsageTap tap = UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, true);
		tap.accept(ByteBuffer.wrap(utf8(ANTHROPIC_CACHED_STREAM_START)));

		// The client went away: the proxy reads usage() without complete().
		assertThat(tap.usage()).isEqualTo(
				new ExtractedUsage("claude-opus-4-1-20250805", 12, 1, 0, 2048, 1800, 0, 0, null, "priority", true));
		assertThat(tap.usage().totalInputTokens()).isEqualTo(12 + 2048 + 1800);
	}

	@Test
	void reportsNothingBeforeMessageStartHasArrivedWhole() {
		byte[] body = utf8(ANTHROPIC_CACHED_STREAM_START);
		UsageTap tap = UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, true);
		tap.accept(body, 0, 120);

		assertThat(tap.usage()).isEqualTo(ExtractedUsage.none());
	}

	@Test
	void extractsTheSameUsageWhereverTheStreamIsCut() {
		byte[] body = utf8(ANTHROPIC_WEB_SEARCH_STREAM);
		for (int split = 0; split <= body.length; split++) {
			assertThat(tapSplit(STREAM_TAPS, body, split)).as("split at %d", split).isEqualTo(WEB_SEARCH_STREAM_USAGE);
		}
		assertThat(tapByteByByte(STREAM_TAPS, body)).isEqualTo(WEB_SEARCH_STREAM_USAGE);
	}

	@Test
	void extractsTheSameUsageFromCrlfStreamWhereverItIsCut() {
		byte[] body = utf8(crlf(ANTHROPIC_WEB_SEARCH_STREAM));
		for (int split = 0; split <= body.length; split++) {
			assertThat(tapSplit(STREAM_TAPS, body, split)).as("split at %d", split).isEqualTo(WEB_SEARCH_STREAM_USAGE);
		}
	}

	@Test
	void readsDirectBuffersWithoutMovingTheirPosition() {
		byte[] body = utf8(ANTHROPIC_WEB_SEARCH_STREAM);
		ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body).flip();
		UsageTap tap = UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, true);

		tap.accept(direct);
		tap.complete();

		assertThat(direct.position()).isZero();
		assertThat(direct.remaining()).isEqualTo(body.length);
		assertThat(tap.usage()).isEqualTo(WEB_SEARCH_STREAM_USAGE);
	}

	@Test
	void keepsUsageSeenBeforeAnErrorEvent() {
		String stream = ANTHROPIC_CACHED_STREAM_START + """
				event: error
				data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

				""";

		ExtractedUsage usage = tapWhole(Format.ANTHROPIC_MESSAGES, true, stream).usage();

		assertThat(usage.usageSeen()).isTrue();
		assertThat(usage.inputTokens()).isEqualTo(12);
		assertThat(usage.outputTokens()).isEqualTo(1);
	}

	@Test
	void readsStreamWithoutEventNames() {
		String unnamed = ANTHROPIC_WEB_SEARCH_STREAM.replaceAll("(?m)^event: .*\\n", "");

		assertThat(tapWhole(Format.ANTHROPIC_MESSAGES, true, unnamed).usage()).isEqualTo(WEB_SEARCH_STREAM_USAGE);
	}

	@Test
	void reportsNoUsageForAnErrorBody() {
		String error = """
				{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}
				""";

		assertThat(tapWhole(Format.ANTHROPIC_MESSAGES, true, error).usage().usageSeen()).isFalse();
		assertThat(tapWhole(Format.ANTHROPIC_MESSAGES, false, error).usage().usageSeen()).isFalse();
	}

}
