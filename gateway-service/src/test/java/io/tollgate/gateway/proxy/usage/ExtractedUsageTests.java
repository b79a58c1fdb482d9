package io.tollgate.gateway.proxy.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ExtractedUsageTests {

	@Test
	void totalInputIncludesCacheWritesAndReads() {
		ExtractedUsage usage = new ExtractedUsage("m", 10, 99, 200, 3000, 40000, 7, 1, "end_turn", "standard", true);

		assertThat(usage.totalInputTokens()).isEqualTo(43210);
	}

	@Test
	void noneHasSeenNoUsage() {
		ExtractedUsage none = ExtractedUsage.none();

		assertThat(none.usageSeen()).isFalse();
		assertThat(none.model()).isNull();
		assertThat(none.totalInputTokens()).isZero();
		assertThat(none.outputTokens()).isZero();
	}

	@Test
	void rejectsNegativeCounts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ExtractedUsage(null, -1, 0, 0, 0, 0, 0, 0, null, null, true))
			.withMessageContaining("inputTokens");
	}

}
