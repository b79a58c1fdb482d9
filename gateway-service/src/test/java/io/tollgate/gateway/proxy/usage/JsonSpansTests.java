package io.tollgate.gateway.proxy.usage;

import io.tollgate.gateway.proxy.usage.JsonSpans.MalformedJsonException;
import io.tollgate.gateway.proxy.usage.JsonSpans.Member;
import io.tollgate.gateway.proxy.usage.JsonSpans.ObjectSpan;
import org.junit.jupiter.api.Test;

import static io.tollgate.gateway.proxy.usage.UsageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonSpansTests {

	@Test
	void locatesTopLevelMembersSkippingNestedValuesAndEscapedQuotes() {
		byte[] json = utf8(" { \"a\" : {\"x\":[1,{\"}\":\"]\"}]} , \"b\":\"q\\\"}\" ,\"c\":-1.5e3 } ");

		ObjectSpan object = JsonSpans.object(json, 0, json.length);

		assertThat(object.members()).hasSize(3);
		assertThat(text(json, object.last(json, "a"))).isEqualTo("{\"x\":[1,{\"}\":\"]\"}]}");
		assertThat(text(json, object.last(json, "b"))).isEqualTo("\"q\\\"}\"");
		assertThat(text(json, object.last(json, "c"))).isEqualTo("-1.5e3");
		assertThat(json[object.close()]).isEqualTo((byte) '}');
	}

	@Test
	void rejectsWhatIsNotAnObject() {
		for (String malformed : new String[] { "", "[1]", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":\"x}",
				"{\"a\":{\"b\":1}" }) {
			byte[] json = utf8(malformed);
			assertThatExceptionOfType(MalformedJsonException.class).as(malformed)
				.isThrownBy(() -> JsonSpans.object(json, 0, json.length));
		}
	}

	private static String text(byte[] json, Member member) {
		return new String(json, member.valueStart(), member.valueEnd() - member.valueStart());
	}

}
