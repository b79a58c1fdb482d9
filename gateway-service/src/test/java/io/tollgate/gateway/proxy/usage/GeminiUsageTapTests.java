package io.tollgate.gateway.proxy.usage;

import java.util.function.Supplier;

import io.tollgate.gateway.proxy.usage.UsageTap.Format;
import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.GEMINI_JSON_ARRAY_STREAM;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.GEMINI_RESPONSE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.GEMINI_SSE_STREAM;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapSplit;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.tapWhole;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class GeminiUsageTapTests {

	private static final ExtractedUsage SSE_STREAM_USAGE = new ExtractedUsage("gemini-2.5-flash", 5230 - 4096, 48 + 310,
			0, 0, 4096, 310, 0, "STOP", null, true);

	private static final ExtractedUsage JSON_ARRAY_USAGE = new ExtractedUsage("gemini-2.0-flash", 11, 8, 0, 0, 0, 0, 0,
			"STOP", null, true);

	@Test
	void countsThoughtsAsOutputAndSubtractsCachedContentFromPrompt() {
		ExtractedUsage usage = tapWhole(Format.GEMINI_GENERATE, false, GEMINI_RESPONSE).usage();

		// input = 1500 - 1000 cached + 120 tool-use prompt; output = 40 + 500 thoughts
		assertThat(usage)
			.isEqualTo(new ExtractedUsage("gemini-2.5-pro", 620, 540, 0, 0, 1000, 500, 0, "MAX_TOKENS", null, true));
		// Everything totalTokenCount counts is billed somewhere.
		assertThat(usage.totalInputTokens() + usage.outputTokens()).isEqualTo(2160);
	}

	@Test
	void takesLastCumulativeUsageMetadataOfSseStream() {
		assertThat(tapWhole(Format.GEMINI_GENERATE, true, GEMINI_SSE_STREAM).usage()).isEqualTo(SSE_STREAM_USAGE);
	}

	@Test
	void extractsTheSameUsageWhereverTheCrlfStreamIsCut() {
		Supplier<UsageTap> taps = () -> UsageTap.forFormat(Format.GEMINI_GENERATE, true);
		byte[] body = utf8(GEMINI_SSE_STREAM);
		for (int split = 0; split <= body.length; split++) {
			assertThat(tapSplit(taps, body, split)).as("split at %d", split).isEqualTo(SSE_STREAM_USAGE);
		}
	}

	@Test
	void reportsPromptOnlyUsageMidStream() {
		byte[] body = utf8(GEMINI_SSE_STREAM);
		int secondEvent = GEMINI_SSE_STREAM.indexOf("data:", 10);
		UsageTap tap = UsageTap.forFormat(Format.GEMINI_GENERATE, true);
		tap.accept(body, 0, secondEvent);

		assertThat(tap.usage())
			.isEqualTo(new ExtractedUsage("gemini-2.5-flash", 1134, 0, 0, 0, 4096, 0, 0, null, null, true));
	}

	@Test
	void takesLastUsageMetadataOfJsonArrayStream() {
		// streamGenerateContent without alt=sse: the proxy expects a stream, the body
		// is a JSON array.
		assertThat(tapWhole(Format.GEMINI_GENERATE, true, GEMINI_JSON_ARRAY_STREAM).usage())
			.isEqualTo(JSON_ARRAY_USAGE);
		assertThat(tapWhole(Format.GEMINI_GENERATE, false, GEMINI_JSON_ARRAY_STREAM).usage())
			.isEqualTo(JSON_ARRAY_USAGE);
	}

	@Test
	void extractsTheSameUsageWhereverTheJsonArrayIsCut() {
		Supplier<UsageTap> taps = () -> UsageTap.forFormat(Format.GEMINI_GENERATE, true);
		byte[] body = utf8(GEMINI_JSON_ARRAY_STREAM);
		for (int split = 0; split <= body.length; split++) {
			assertThat(tapSplit(taps, body, split)).as("split at %d", split).isEqualTo(JSON_ARRAY_USAGE);
		}
	}

	@Test
	void reportsNoUsageForAnErrorBody() {
		String error = """
				{
				  "error": {
				    "code": 429,
				    "message": "Resource has been exhausted (e.g. check quota).",
				    "status": "RESOURCE_EXHAUSTED"
				  }
				}
				""";

		assertThat(tapWhole(Format.GEMINI_GENERATE, true, error).usage()).isEqualTo(ExtractedUsage.none());
	}

}
