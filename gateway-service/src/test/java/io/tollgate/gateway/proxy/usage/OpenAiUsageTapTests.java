package io.tollgate.gateway.proxy.usage;

import java.util.function.Supplier;

import io.tollgate.gateway.proxy.usage.UsageTap.Format;
import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_CHAT_COMPLETION;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_CHAT_STREAM_WITHOUT_USAGE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_CHAT_STREAM_WITH_USAGE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_RESPONSE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_RESPONSES_STREAM;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapByteByByte;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapSplit;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapWhole;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiUsageTapTests {

	private static final ExtractedUsage CHAT_STREAM_USAGE = new ExtractedUsage("gpt-4.1-2025-04-14", 2006 - 1920, 300,
			0, 0, 1920, 192, 0, "stop", "default", true);

	private static final ExtractedUsage RESPONSES_STREAM_USAGE = new ExtractedUsage("o3-2025-04-16", 1200 - 1024, 900,
			0, 0, 1024, 640, 0, "completed", "priority", true);

	@Test
	void subtractsCachedTokensFromPromptTokensOfChatCompletion() {
		ExtractedUsage usage = tapWhole(Format.OPENAI_CHAT, false, OPENAI_CHAT_COMPLETION).usage();

		assertThat(usage)
			.isEqualTo(new ExtractedUsage("o4-mini-2025-04-16", 93, 946, 0, 0, 1024, 704, 0, "length", "flex", true));
		assertThat(usage.totalInputTokens()).isEqualTo(1117);
	}

	@Test
	void subtractsCacheWriteTokensWhereReported() {
		String completion = """
				{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-5-2025-08-07",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":5000,"completion_tokens":20,"total_tokens":5020,
				  "prompt_tokens_details":{"cached_tokens":3000,"cache_write_tokens":1500}}}
				""";

		ExtractedUsage usage = tapWhole(Format.OPENAI_CHAT, false, completion).usage();

		assertThat(usage.inputTokens()).isEqualTo(500);
		assertThat(usage.cacheReadTokens()).isEqualTo(3000);
		assertThat(usage.cacheWrite5mTokens()).isEqualTo(1500);
		assertThat(usage.totalInputTokens()).isEqualTo(5000);
	}

	@Test
	void takesUsageFromTheLastChunkOfAnIncludeUsageStream() {
		assertThat(tapWhole(Format.OPENAI_CHAT, true, OPENAI_CHAT_STREAM_WITH_USAGE).usage())
			.isEqualTo(CHAT_STREAM_USAGE);
	}

	@Test
	void extractsTheSameChatUsageWhereverTheStreamIsCut() {
		Supplier<UsageTap> taps = () -> UsageTap.forFormat(Format.OPENAI_CHAT, true);
		byte[] body = utf8(OPENAI_CHAT_STREAM_WITH_USAGE);
		for (int split = 0; split <= body.length; split++) {
			assertThat(tapSplit(taps, body, split)).as("split at %d", split).isEqualTo(CHAT_STREAM_USAGE);
		}
		assertThat(tapByteByByte(taps, body)).isEqualTo(CHAT_STREAM_USAGE);
	}

	@Test
	void reportsModelButNoUsageForStreamWithoutIncludeUsage() {
		ExtractedUsage usage = tapWhole(Format.OPENAI_CHAT, true, OPENAI_CHAT_STREAM_WITHOUT_USAGE).usage();

		assertThat(usage.usageSeen()).isFalse();
		assertThat(usage.model()).isEqualTo("gpt-4.1-2025-04-14");
		assertThat(usage.stopReason()).isEqualTo("stop");
		assertThat(usage.totalInputTokens()).isZero();
	}

	@Test
	void readsNonStreamedResponse() {
		assertThat(tapWhole(Format.OPENAI_RESPONSES, false, OPENAI_RESPONSE).usage())
			.isEqualTo(new ExtractedUsage("gpt-4.1-2025-04-14", 36, 87, 0, 0, 0, 0, 0, "completed", "default", true));
	}

	@Test
	void takesUsageFromResponseCompletedEvent() {
		assertThat(tapWhole(Format.OPENAI_RESPONSES, true, OPENAI_RESPONSES_STREAM).usage())
			.isEqualTo(RESPONSES_STREAM_USAGE);
	}

	@Test
	void extractsTheSameResponsesUsageWhereverTheStreamIsCut() {
		Supplier<UsageTap> taps = () -> UsageTap.forFormat(Format.OPENAI_RESPONSES, true);
		byte[] body = utf8(OPENAI_RESPONSES_STREAM);
		for (int split = 0; split <= body.length; split++) {
			assertThat(tapSplit(taps, body, split)).as("split at %d", split).isEqualTo(RESPONSES_STREAM_USAGE);
		}
	}

	@Test
	void knowsTheModelFromResponseCreatedBeforeAnyUsage() {
		byte[] body = utf8(OPENAI_RESPONSES_STREAM);
		int completed = OPENAI_RESPONSES_STREAM.indexOf("event: response.completed");
		UsageTap tap = UsageTap.forFormat(Format.OPENAI_RESPONSES, true);
		tap.accept(body, 0, utf8(OPENAI_RESPONSES_STREAM.substring(0, completed)).length);

		assertThat(tap.usage().model()).isEqualTo("o3-2025-04-16");
		assertThat(tap.usage().usageSeen()).isFalse();
		assertThat(tap.usage().stopReason()).isNull();
	}

	@Test
	void takesUsageAndReasonFromResponseIncompleteEvent() {
		String stream = """
				event: response.created
				data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-5-2025-08-07","output":[],"usage":null}}

				event: response.incomplete
				data: {"type":"response.incomplete","sequence_number":7,"response":{"id":"resp_1","object":"response","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"model":"gpt-5-2025-08-07","output":[],"service_tier":"default","usage":{"input_tokens":50,"input_tokens_details":{"cached_tokens":0},"output_tokens":256,"output_tokens_details":{"reasoning_tokens":256},"total_tokens":306}}}

				""";

		assertThat(tapWhole(Format.OPENAI_RESPONSES, true, stream).usage()).isEqualTo(
				new ExtractedUsage("gpt-5-2025-08-07", 50, 256, 0, 0, 0, 256, 0, "max_output_tokens", "default", true));
	}

	@Test
	void takesUsageFromResponseFailedEvent() {
		String stream = """
				event: response.failed
				data: {"type":"response.failed","sequence_number":3,"response":{"id":"resp_2","object":"response","status":"failed","error":{"code":"server_error","message":"The model failed to generate a response."},"incomplete_details":null,"model":"gpt-4o-2024-08-06","output":[],"usage":{"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":15}}}

				""";

		ExtractedUsage usage = tapWhole(Format.OPENAI_RESPONSES, true, stream).usage();

		assertThat(usage.stopReason()).isEqualTo("failed");
		assertThat(usage.inputTokens()).isEqualTo(12);
		assertThat(usage.outputTokens()).isEqualTo(3);
		assertThat(usage.usageSeen()).isTrue();
	}

}
