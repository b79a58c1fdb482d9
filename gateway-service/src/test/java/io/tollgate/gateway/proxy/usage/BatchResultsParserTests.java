package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BatchResultsParserTests {

	private static final String RESULTS = """
			{"custom_id":"my-second-request","result":{"type":"succeeded","message":{"id":"msg_014VwiXbi91y3JMjcpyGBHX5","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello again! It's nice to see you. How can I assist you today? Is there anything specific you'd like to chat about — ça va? 🙂"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":36,"service_tier":"batch"}}}}
			{"custom_id":"my-first-request","result":{"type":"succeeded","message":{"id":"msg_01FqfsLoHwgeFbguDgpz48m7","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello! How can I assist you today?"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"cache_creation_input_tokens":1200,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":1200},"output_tokens":34}}}}
			{"custom_id":"my-third-request","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"Validation error: max_tokens: Field required"}}}}
			{"custom_id":"my-fourth-request","result":{"type":"expired"}}
			{"custom_id":"my-fifth-request","result":{"type":"canceled"}}
			""";

	private static final List<BatchResultUsage> EXPECTED = List.of(
			new BatchResultUsage("my-second-request",
					new ExtractedUsage("claude-sonnet-4-5-20250929", 11, 36, 0, 0, 0, 0, 0, "end_turn", "batch", true)),
			new BatchResultUsage("my-first-request", new ExtractedUsage("claude-sonnet-4-5-20250929", 10, 34, 0, 1200,
					0, 0, 0, "end_turn", "batch", true)));

	@Test
	void emitsSucceededResultsAndNothingForErroredExpiredOrCanceled() {
		List<BatchResultUsage> emitted = new ArrayList<>();
		BatchResultsParser parser = new BatchResultsParser(emitted::add);

		parser.accept(ByteBuffer.wrap(utf8(RESULTS)));
		parser.complete();

		assertThat(emitted).isEqualTo(EXPECTED);
		assertThat(parser.skippedLines()).isZero();
	}

	@Test
	void emitsTheSameResultsWhereverTheBodyIsCut() {
		byte[] body = utf8(RESULTS);
		for (int split = 0; split <= body.length; split++) {
			List<BatchResultUsage> emitted = new ArrayList<>();
			BatchResultsParser parser = new BatchResultsParser(emitted::add);
			parser.accept(body, 0, split);
			parser.accept(body, split, body.length - split);
			parser.complete();
			assertThat(emitted).as("split at %d", split).isEqualTo(EXPECTED);
		}
	}

	@Test
	void parsesLastLineWithoutLineBreakAndCrlfLines() {
		List<BatchResultUsage> emitted = new ArrayList<>();
		BatchResultsParser parser = new BatchResultsParser(emitted::add);

		parser.accept(ByteBuffer.wrap(utf8(RESULTS.strip().replace("\n", "\r\n"))));
		parser.complete();

		assertThat(emitted).isEqualTo(EXPECTED);
	}

	@Test
	void skipsLinesOverTheCapWithoutLosingTheOthers() {
		String huge = "{\"custom_id\":\"huge\",\"result\":{\"type\":\"succeeded\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\""
				+ "z".repeat(2000) + "\"}],\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}}}\n";
		byte[] body = utf8(huge + RESULTS);
		List<BatchResultUsage> emitted = new ArrayList<>();
		BatchResultsParser parser = new BatchResultsParser(emitted::add, 1024);

		// Small chunks: the huge line has to be buffered, and hits the cap.
		for (int i = 0; i < body.length; i += 100) {
			parser.accept(body, i, Math.min(100, body.length - i));
		}
		parser.complete();

		assertThat(emitted).isEqualTo(EXPECTED);
		assertThat(parser.skippedLines()).isOne();
	}

	@Test
	void countsMalformedLinesAsSkipped() {
		List<BatchResultUsage> emitted = new ArrayList<>();
		BatchResultsParser parser = new BatchResultsParser(emitted::add);

		parser.accept(ByteBuffer.wrap(utf8("not json\n\n{\"result\":{\"type\":\"succeeded\"}}\n")));
		parser.complete();

		assertThat(emitted).isEmpty();
		assertThat(parser.skippedLines()).isEqualTo(2);
	}

	@Test
	void givesDeterministicEventIds() {
		String id = BatchResultsParser.eventIdFor("msgbatch_013Zva2CMHLNnXjNJJKqJ2EF", "my-first-request");

		assertThat(BatchResultsParser.eventIdFor("msgbatch_013Zva2CMHLNnXjNJJKqJ2EF", "my-first-request"))
			.isEqualTo(id);
		assertThat(UUID.fromString(id).version()).isEqualTo(5);
		assertThat(UUID.fromString(id).variant()).isEqualTo(2);
		assertThat(BatchResultsParser.eventIdFor("msgbatch_013Zva2CMHLNnXjNJJKqJ2EF", "my-second-request"))
			.isNotEqualTo(id);
		assertThat(BatchResultsParser.eventIdFor("msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d", "my-first-request"))
			.isNotEqualTo(id);
	}

	@Test
	void computesRfcNameBasedUuidVersion5() {
		// Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
		UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

		assertThat(BatchResultsParser.uuidV5(dns, "python.org"))
			.isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
	}

	@Test
	void rejectsBatchIdsThatWouldMakeTheNameAmbiguous() {
		assertThatIllegalArgumentException().isThrownBy(() -> BatchResultsParser.eventIdFor("a/b", "c"));
		assertThatIllegalArgumentException().isThrownBy(() -> BatchResultsParser.eventIdFor("", "c"));
	}

}
