package io.tollgate.contract;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WireValueTests {

	@Test
	void everyConstantIsFoundByItsWireSpelling() {
		assertFound(Provider.values(), Provider::fromWire);
		assertFound(Endpoint.values(), Endpoint::fromWire);
		assertFound(ServiceTier.values(), ServiceTier::fromWire);
		assertFound(ContextTier.values(), ContextTier::fromWire);
		assertFound(Outcome.values(), Outcome::fromWire);
		assertFound(KeyAction.values(), KeyAction::fromWire);
		assertFound(BucketWidth.values(), BucketWidth::fromWire);
	}

	@Test
	void spellingsAreTheOnesOnTheWire() {
		assertThat(List.of(Endpoint.values())).extracting(Endpoint::wire)
			.containsExactly("messages", "chat.completions", "responses", "generate_content", "batch");
		assertThat(List.of(ServiceTier.values())).extracting(ServiceTier::wire)
			.containsExactly("standard", "batch", "priority", "flex");
		assertThat(List.of(Outcome.values())).extracting(Outcome::wire)
			.containsExactly("success", "upstream_error", "client_aborted");
		assertThat(WireValue.spellings(Provider.class)).isEqualTo("anthropic, openai, gemini");
	}

	@Test
	void unknownAndDifferentlyCasedSpellingsAreNotFound() {
		assertThat(Provider.fromWire("mistral")).isEmpty();
		assertThat(Provider.fromWire("OpenAI")).isEmpty();
		assertThat(Endpoint.fromWire("CHAT_COMPLETIONS")).isEmpty();
	}

	@Test
	void bucketWidthAlignsToTheEpoch() {
		Instant instant = Instant.parse("2025-06-01T12:34:56.789Z");

		assertThat(BucketWidth.ONE_MINUTE.bucketStart(instant)).isEqualTo(Instant.parse("2025-06-01T12:34:00Z"));
		assertThat(BucketWidth.ONE_HOUR.bucketStart(instant)).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
		assertThat(BucketWidth.ONE_DAY.bucketStart(instant)).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
		assertThat(BucketWidth.ONE_MINUTE.isAligned(Instant.parse("2025-06-01T12:34:00Z"))).isTrue();
		assertThat(BucketWidth.ONE_HOUR.isAligned(Instant.parse("2025-06-01T12:34:00Z"))).isFalse();
	}

	private static <E extends WireValue> void assertFound(E[] constants, Function<String, Optional<E>> fromWire) {
		for (E constant : constants) {
			assertThat(fromWire.apply(constant.wire())).contains(constant);
		}
	}

}
