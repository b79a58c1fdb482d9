package io.tollgate.support.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static io.tollgate.support.query.Params.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class PageTokenTests {

	private static final String QUERY = PageToken.queryId(List.of("tenant-a", "1h", "1790812800"));

	@Test
	void carriesThePageStartOfItsQuery() {
		String token = PageToken.encode(Instant.parse("2026-10-01T10:00:00Z"), QUERY);
		assertThat(token).matches("[A-Za-z0-9_-]+");
		assertThat(PageToken.decode(token, QUERY)).isEqualTo(Instant.parse("2026-10-01T10:00:00Z").getEpochSecond());
	}

	@Test
	void refusesATokenOfAnotherQuery() {
		String token = PageToken.encode(Instant.parse("2026-10-01T10:00:00Z"), QUERY);
		assertRejected(() -> PageToken.decode(token, PageToken.queryId(List.of("tenant-b", "1h", "1790812800"))),
				"page");
	}

	@Test
	void refusesWhatItDidNotIssue() {
		assertRejected(() -> PageToken.decode("not-a-token", QUERY), "page");
		assertRejected(() -> PageToken.decode("%%%", QUERY), "page");
		assertRejected(() -> PageToken.decode(encoded("v1.123.abc.d"), QUERY), "page");
		assertRejected(() -> PageToken.decode(encoded("v2.123." + QUERY), QUERY), "page");
		assertRejected(() -> PageToken.decode(encoded("v1.soon." + QUERY), QUERY), "page");
	}

	@Test
	void queryIdsOfDifferentPartsDiffer() {
		// Length-prefixed parts: moving a boundary makes another query.
		assertThat(PageToken.queryId(List.of("ab", "c"))).isNotEqualTo(PageToken.queryId(List.of("a", "bc")));
		assertThat(PageToken.queryId(List.of("a", ""))).isNotEqualTo(PageToken.queryId(List.of("a")));
		assertThat(PageToken.queryId(List.of("a", "b"))).isEqualTo(PageToken.queryId(List.of("a", "b")));
	}

	private static String encoded(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
