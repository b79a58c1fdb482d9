package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;

import io.tollgate.gateway.proxy.usage.UsageTap.Format;
import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.ANTHROPIC_MESSAGE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.ANTHROPIC_WEB_SEARCH_STREAM;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_CHAT_STREAM_WITH_USAGE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UsageTapLimitsTests {

	@Test
	void givesUpOnNonStreamedBodyOverTheCap() {
		byte[] body = utf8(ANTHROPIC_MESSAGE);
		UsageTap tap = UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, false, body.length - 1,
				UsageTap.DEFAULT_MAX_SSE_EVENT_BYTES);

		tap.accept(body, 0, 100);
		tap.accept(body, 100, body.length - 100);
		tap.complete();

		assertThat(tap.usage()).isEqualTo(ExtractedUsage.none());
	}

	@Test
	void parsesNonStreamedBodyExactlyAtTheCap() {
		byte[] body = utf8(ANTHROPIC_MESSAGE);
		UsageTap tap = UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, false, body.length,
				UsageTap.DEFAULT_MAX_SSE_EVENT_BYTES);

		tap.accept(body, 0, 100);
		tap.accept(body, 100, body.length - 100);
		tap.complete();

		assertThat(tap.usage().usageSeen()).isTrue();
		assertThat(tap.usage().outputTokens()).isEqualTo(393);
	}

	@Test
	void skipsAnEventOverTheCapAndKeepsParsingTheStream() {
		String stream = """
				event: content_block_delta
				data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"%s"}}

				""".formatted("x".repeat(4096)) + ANTHROPIC_WEB_SEARCH_STREAM;
		UsageTap tap = UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, true, UsageTap.DEFAULT_MAX_JSON_BODY_BYTES, 2048);

		tap.accept(ByteBuffer.wrap(utf8(stream)));
		tap.complete();

		assertThat(tap.usage().outputTokens()).isEqualTo(510);
	}

	@Test
	void reportsNothingWhenTheUsageEventItselfIsOverTheCap() {
		UsageTap tap = UsageTap.forFormat(Format.OPENAI_CHAT, true, UsageTap.DEFAULT_MAX_JSON_BODY_BYTES, 64);

		tap.accept(ByteBuffer.wrap(utf8(OPENAI_CHAT_STREAM_WITH_USAGE)));
		tap.complete();

		assertThat(tap.usage().usageSeen()).isFalse();
	}

	@Test
	void dispatchesALastEventThatLacksItsBlankLine() {
		String stream = """
				data: {"id":"chatcmpl-1","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}""";

		UsageTap tap = UsageTap.forFormat(Format.OPENAI_CHAT, true);
		tap.accept(ByteBuffer.wrap(utf8(stream)));
		assertThat(tap.usage().usageSeen()).isFalse();
		tap.complete();

		assertThat(tap.usage().inputTokens()).isEqualTo(9);
		assertThat(tap.usage().outputTokens()).isEqualTo(12);
	}

	@Test
	void ignoresChunksAfterCompleteAndCompletesOnce() {
		byte[] body = utf8(ANTHROPIC_WEB_SEARCH_STREAM);
		UsageTap tap = UsageTap.forFormat(Format.ANTHROPIC_MESSAGES, true);
		tap.accept(body, 0, body.length);
		tap.complete();
		ExtractedUsage completed = tap.usage();

		tap.accept(body, 0, body.length);
		tap.complete();

		assertThat(tap.usage()).isSameAs(completed);
	}

	@Test
	void ignoresMalformedJsonWithoutThrowing() {
		UsageTap stream = UsageTap.forFormat(Format.OPENAI_CHAT, true);
		stream.accept(ByteBuffer.wrap(utf8("data: {\"usage\": {\"prompt_tokens\": 1,\n\ndata: [DONE]\n\n")));
		stream.complete();
		UsageTap body = UsageTap.forFormat(Format.OPENAI_CHAT, false);
		body.accept(ByteBuffer.wrap(utf8("{\"usage\": {\"prompt_tokens\": 1")));
		body.complete();

		assertThat(stream.usage()).isEqualTo(ExtractedUsage.none());
		assertThat(body.usage()).isEqualTo(ExtractedUsage.none());
	}

	@Test
	void reportsNothingForAnEmptyBody() {
		UsageTap tap = UsageTap.forFormat(Format.GEMINI_GENERATE, false);
		tap.complete();

		assertThat(tap.usage()).isEqualTo(ExtractedUsage.none());
	}

	@Test
	void rejectsNonPositiveCaps() {
		assertThatIllegalArgumentException().isThrownBy(() -> UsageTap.forFormat(Format.OPENAI_CHAT, true, 0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> UsageTap.forFormat(Format.OPENAI_CHAT, true, 1, 0));
	}

}
