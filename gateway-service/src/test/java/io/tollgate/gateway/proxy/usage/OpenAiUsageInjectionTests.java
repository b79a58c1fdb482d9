package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.tollgate.gateway.proxy.usage.OpenAiUsageInjection.RequestRewrite;
import io.tollgate.gateway.proxy.usage.UsageTap.Format;
import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_CHAT_STREAM_WITHOUT_USAGE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.OPENAI_CHAT_STREAM_WITH_USAGE;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.concat;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.crlf;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.remaining;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiUsageInjectionTests {

	private static final String STREAMED_REQUEST = """
			{
			  "model": "gpt-4.1",
			  "messages": [
			    {"role": "developer", "content": "You are a helpful assistant."},
			    {"role": "user", "content": "Hello! \\"stream_options\\" ü"}
			  ],
			  "temperature": 0.70,
			  "stream": true
			}
			""";

	@Test
	void leavesRequestUntouchedWhenClientAlreadySetIncludeUsage() {
		byte[] request = utf8("""
				{"model": "gpt-4.1", "stream": true, "stream_options": {"include_usage": true}, "messages": []}
				""");

		RequestRewrite rewrite = OpenAiUsageInjection.rewriteRequest(request);

		assertThat(rewrite.injected()).isFalse();
		assertThat(rewrite.body()).isSameAs(request);
		assertThat(OpenAiUsageChunkFilter.forRewrite(rewrite).passesThrough()).isTrue();
	}

	@Test
	void leavesNonStreamedRequestUntouched() {
		byte[] request = utf8("""
				{"model": "gpt-4.1", "messages": [{"role": "user", "content": "Hi"}]}
				""");
		byte[] explicitlyNotStreamed = utf8("""
				{"model": "gpt-4.1", "stream": false, "messages": []}
				""");

		assertThat(OpenAiUsageInjection.rewriteRequest(request).body()).isSameAs(request);
		assertThat(OpenAiUsageInjection.rewriteRequest(explicitlyNotStreamed).body()).isSameAs(explicitlyNotStreamed);
	}

	@Test
	void leavesMalformedOrOddlyTypedRequestUntouched() {
		for (String request : new String[] { "", "[]", "{\"stream\": true", "{\"stream\": true} {}",
				"{\"stream\": \"true\"}", "{\"stream\": true, \"stream_options\": \"yes\"}",
				"{\"stream\": true, \"stream_options\": {\"include_usage\": 1}}" }) {
			byte[] bytes = utf8(request);
			RequestRewrite rewrite = OpenAiUsageInjection.rewriteRequest(bytes);
			assertThat(rewrite.injected()).as(request).isFalse();
			assertThat(rewrite.body()).as(request).isSameAs(bytes);
		}
	}

	@Test
	void addsStreamOptionsAfterTheLastMemberKeepingEverythingElse() {
		RequestRewrite rewrite = OpenAiUsageInjection.rewriteRequest(utf8(STREAMED_REQUEST));

		assertThat(rewrite.injected()).isTrue();
		assertThat(new String(rewrite.body(), StandardCharsets.UTF_8)).isEqualTo(STREAMED_REQUEST
			.replace("\"stream\": true\n", "\"stream\": true,\"stream_options\":{\"include_usage\":true}\n"));
	}

	@Test
	void replacesNullStreamOptions() {
		assertThat(rewritten("{\"stream\":true,\"stream_options\":null,\"model\":\"gpt-4o\"}"))
			.isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\":\"gpt-4o\"}");
	}

	@Test
	void addsIncludeUsageToExistingStreamOptions() {
		assertThat(rewritten("{\"stream\": true, \"stream_options\": {\"include_obfuscation\": false}}")).isEqualTo(
				"{\"stream\": true, \"stream_options\": {\"include_obfuscation\": false,\"include_usage\":true}}");
		assertThat(rewritten("{\"stream_options\": { }, \"stream\": true}"))
			.isEqualTo("{\"stream_options\": {\"include_usage\":true }, \"stream\": true}");
	}

	@Test
	void replacesFalseOrNullIncludeUsage() {
		assertThat(rewritten("{\"stream\":true,\"stream_options\":{\"include_usage\":false}}"))
			.isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
		assertThat(rewritten("{\"stream\":true,\"stream_options\":{\"include_usage\" : null }}"))
			.isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\" : true }}");
	}

	@Test
	void readsKeysWrittenWithEscapesAndHonoursTheLastDuplicate() {
		assertThat(OpenAiUsageInjection.rewriteRequest(utf8("{\"str\\u0065am\": true}")).injected()).isTrue();
		assertThat(OpenAiUsageInjection.rewriteRequest(utf8("{\"stream\": true, \"stream\": false}")).injected())
			.isFalse();
	}

	@Test
	void dropsInjectedUsageChunkAndNullUsageFields() {
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.forRewrite(injectedRewrite());

		byte[] forwarded = concat(remaining(filter.filter(ByteBuffer.wrap(utf8(OPENAI_CHAT_STREAM_WITH_USAGE)))),
				remaining(filter.finish()));

		assertThat(new String(forwarded, StandardCharsets.UTF_8)).isEqualTo(OPENAI_CHAT_STREAM_WITHOUT_USAGE);
	}

	@Test
	void forwardsExactlyTheStreamWithoutUsageWhereverTheUpstreamIsCut() {
		byte[] upstream = utf8(OPENAI_CHAT_STREAM_WITH_USAGE);
		byte[] expected = utf8(OPENAI_CHAT_STREAM_WITHOUT_USAGE);
		for (int split = 0; split <= upstream.length; split++) {
			OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.strippingInjectedUsage();
			byte[] forwarded = concat(remaining(filter.filter(ByteBuffer.wrap(upstream, 0, split))),
					remaining(filter.filter(ByteBuffer.wrap(upstream, split, upstream.length - split))),
					remaining(filter.finish()));
			assertThat(new String(forwarded, StandardCharsets.UTF_8)).as("split at %d", split)
				.isEqualTo(new String(expected, StandardCharsets.UTF_8));
		}
	}

	@Test
	void forwardsExactlyTheCrlfStreamWithoutUsageWhereverTheUpstreamIsCut() {
		byte[] upstream = utf8(crlf(OPENAI_CHAT_STREAM_WITH_USAGE));
		byte[] expected = utf8(crlf(OPENAI_CHAT_STREAM_WITHOUT_USAGE));
		for (int split = 0; split <= upstream.length; split++) {
			OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.strippingInjectedUsage();
			byte[] forwarded = concat(remaining(filter.filter(ByteBuffer.wrap(upstream, 0, split))),
					remaining(filter.filter(ByteBuffer.wrap(upstream, split, upstream.length - split))),
					remaining(filter.finish()));
			assertThat(new String(forwarded, StandardCharsets.UTF_8)).as("split at %d", split)
				.isEqualTo(new String(expected, StandardCharsets.UTF_8));
		}
	}

	@Test
	void forwardsByteByByteUpstreamAsTheStreamWithoutUsage() {
		byte[] upstream = utf8(OPENAI_CHAT_STREAM_WITH_USAGE);
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.strippingInjectedUsage();
		byte[] forwarded = new byte[0];
		for (byte b : upstream) {
			forwarded = concat(forwarded, remaining(filter.filter(ByteBuffer.wrap(new byte[] { b }))));
		}
		forwarded = concat(forwarded, remaining(filter.finish()));

		assertThat(new String(forwarded, StandardCharsets.UTF_8)).isEqualTo(OPENAI_CHAT_STREAM_WITHOUT_USAGE);
	}

	@Test
	void forwardsEachEventAsSoonAsItsBlankLineArrives() {
		String first = OPENAI_CHAT_STREAM_WITH_USAGE.substring(0, OPENAI_CHAT_STREAM_WITH_USAGE.indexOf("\n\n") + 2);
		String secondHalf = OPENAI_CHAT_STREAM_WITH_USAGE.substring(first.length(), first.length() + 80);
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.strippingInjectedUsage();

		ByteBuffer forwarded = filter.filter(ByteBuffer.wrap(utf8(first + secondHalf)));

		String expectedFirst = OPENAI_CHAT_STREAM_WITHOUT_USAGE.substring(0,
				OPENAI_CHAT_STREAM_WITHOUT_USAGE.indexOf("\n\n") + 2);
		assertThat(new String(remaining(forwarded), StandardCharsets.UTF_8)).isEqualTo(expectedFirst);
	}

	@Test
	void forwardsDoneUnchanged() {
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.strippingInjectedUsage();

		assertThat(remaining(filter.filter(ByteBuffer.wrap(utf8("data: [DONE]\n\n")))))
			.isEqualTo(utf8("data: [DONE]\n\n"));
	}

	@Test
	void removesUsageNullWhereverItSitsInTheChunk() {
		assertThat(stripped("data: {\"usage\":null,\"id\":\"c\",\"choices\":[]}\n\n"))
			.isEqualTo("data: {\"id\":\"c\",\"choices\":[]}\n\n");
		assertThat(stripped("data: {\"id\":\"c\", \"usage\": null , \"choices\":[]}\n\n"))
			.isEqualTo("data: {\"id\":\"c\" , \"choices\":[]}\n\n");
		assertThat(stripped("data: {\"usage\":null}\n\n")).isEqualTo("data: {}\n\n");
		// Nested "usage" members are the content's business.
		assertThat(stripped("data: {\"choices\":[{\"delta\":{\"usage\":null}}],\"usage\":null}\n\n"))
			.isEqualTo("data: {\"choices\":[{\"delta\":{\"usage\":null}}]}\n\n");
	}

	@Test
	void forwardsCommentsErrorsAndUnparsableEventsUnchanged() {
		String events = ": OPENROUTER PROCESSING\n\ndata: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\ndata: {not json\n\n";

		assertThat(stripped(events)).isEqualTo(events);
	}

	@Test
	void forwardsEventOverTheCapUnchangedAsItArrives() {
		String big = "data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(300) + "\"}}],\"usage\":null}\n\n";
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.strippingInjectedUsage(100);
		byte[] bytes = utf8(big + "data: [DONE]\n\n");

		byte[] first = remaining(filter.filter(ByteBuffer.wrap(bytes, 0, 150)));
		byte[] rest = remaining(filter.filter(ByteBuffer.wrap(bytes, 150, bytes.length - 150)));

		assertThat(first).hasSize(150);
		assertThat(concat(first, rest, remaining(filter.finish()))).isEqualTo(bytes);
	}

	@Test
	void passThroughReturnsTheSameBufferUntouched() {
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.passThrough();
		ByteBuffer chunk = ByteBuffer.wrap(utf8(OPENAI_CHAT_STREAM_WITH_USAGE), 3, 50);

		assertThat(filter.filter(chunk)).isSameAs(chunk);
		assertThat(chunk.position()).isEqualTo(3);
		assertThat(filter.finish().hasRemaining()).isFalse();
	}

	@Test
	void meteringTheUpstreamStillSeesTheInjectedUsage() {
		RequestRewrite rewrite = injectedRewrite();
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.forRewrite(rewrite);
		UsageTap tap = UsageTap.forFormat(Format.OPENAI_CHAT, true);
		ByteBuffer upstream = ByteBuffer.wrap(utf8(OPENAI_CHAT_STREAM_WITH_USAGE));

		tap.accept(upstream);
		ByteBuffer toClient = filter.filter(upstream);
		tap.complete();

		assertThat(tap.usage().inputTokens()).isEqualTo(86);
		assertThat(tap.usage().cacheReadTokens()).isEqualTo(1920);
		assertThat(new String(remaining(toClient), StandardCharsets.UTF_8)).isEqualTo(OPENAI_CHAT_STREAM_WITHOUT_USAGE);
	}

	private static RequestRewrite injectedRewrite() {
		RequestRewrite rewrite = OpenAiUsageInjection.rewriteRequest(utf8(STREAMED_REQUEST));
		assertThat(rewrite.injected()).isTrue();
		return rewrite;
	}

	private static String rewritten(String request) {
		RequestRewrite rewrite = OpenAiUsageInjection.rewriteRequest(utf8(request));
		assertThat(rewrite.injected()).as(request).isTrue();
		return new String(rewrite.body(), StandardCharsets.UTF_8);
	}

	private static String stripped(String upstream) {
		OpenAiUsageChunkFilter filter = OpenAiUsageChunkFilter.strippingInjectedUsage();
		byte[] forwarded = concat(remaining(filter.filter(ByteBuffer.wrap(utf8(upstream)))),
				remaining(filter.finish()));
		return new String(forwarded, StandardCharsets.UTF_8);
	}

}
