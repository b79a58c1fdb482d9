package io.tollgate.gateway.proxy.usage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.ANTHROPIC_WEB_SEARCH_STREAM;
import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class SseEventParserTests {

	record Event(@Nullable String name, String data) {
	}

	private final List<Event> events = new ArrayList<>();

	private final SseEventParser parser = new SseEventParser((name, data, offset, length) -> this.events
		.add(new Event(name, new String(data, offset, length, StandardCharsets.UTF_8))), 1024);

	@Test
	void dispatchesOnBlankLineWithEventName() {
		feed("event: ping\ndata: {\"type\": \"ping\"}\n\n");

		assertThat(this.events).containsExactly(new Event("ping", "{\"type\": \"ping\"}"));
	}

	@Test
	void joinsMultiLineDataWithLineFeeds() {
		feed("data: first\ndata:second\ndata:  third\n\n");

		assertThat(this.events).containsExactly(new Event(null, "first\nsecond\n third"));
	}

	@Test
	void acceptsCrlfLfAndCrLineEndsMixed() {
		feed("data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n");

		assertThat(this.events).extracting(Event::data).containsExactly("a", "b", "c", "d");
	}

	@Test
	void skipsCommentsAndUnknownFieldsAndEventsWithoutData() {
		feed(": keep-alive\n\nid: 42\nretry: 1000\nevent: lonely\n\nfoo: bar\ndata: x\n\n");

		// The event name of an event without data does not leak into the next event.
		assertThat(this.events).containsExactly(new Event(null, "x"));
	}

	@Test
	void treatsFieldWithoutColonAsEmptyValue() {
		feed("data\ndata\n\n");

		assertThat(this.events).containsExactly(new Event(null, "\n"));
	}

	@Test
	void dispatchesLastEventWithoutBlankLineOnFinish() {
		feed("data: {\"done\": true}");
		assertThat(this.events).isEmpty();

		this.parser.finish();

		assertThat(this.events).containsExactly(new Event(null, "{\"done\": true}"));
	}

	@Test
	void skipsEventOverTheCapAndCountsIt() {
		feed("data: " + "y".repeat(700) + "\ndata: " + "z".repeat(700) + "\n\ndata: small\n\n");

		assertThat(this.events).containsExactly(new Event(null, "small"));
		assertThat(this.parser.skippedEvents()).isOne();
	}

	@Test
	void parsesTheSameEventsWhereverTheStreamIsCut() {
		byte[] body = utf8(ANTHROPIC_WEB_SEARCH_STREAM.replace("\n", "\r\n"));
		SseEventParserTests reference = new SseEventParserTests();
		reference.feed(new String(body, StandardCharsets.UTF_8));
		assertThat(reference.events).hasSize(13);
		for (int split = 0; split <= body.length; split++) {
			SseEventParserTests cut = new SseEventParserTests();
			cut.parser.feed(body, 0, split);
			cut.parser.feed(body, split, body.length - split);
			cut.parser.finish();
			assertThat(cut.events).as("split at %d", split).isEqualTo(reference.events);
		}
	}

	private void feed(String text) {
		byte[] bytes = utf8(text);
		this.parser.feed(bytes, 0, bytes.length);
	}

}
