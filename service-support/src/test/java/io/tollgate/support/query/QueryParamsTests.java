package io.tollgate.support.query;

import io.tollgate.contract.WireValue;
import org.junit.jupiter.api.Test;

import static io.tollgate.support.query.Params.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class QueryParamsTests {

	@Test
	void singleTreatsBlankAsAbsentAndStrips() {
		assertThat(QueryParams.single(Params.of(), "limit")).isNull();
		assertThat(QueryParams.single(Params.of("limit", ""), "limit")).isNull();
		assertThat(QueryParams.single(Params.of("limit", "  "), "limit")).isNull();
		assertThat(QueryParams.single(Params.of("limit", " 5 "), "limit")).isEqualTo("5");
	}

	@Test
	void singleAcceptsARepeatOfTheSameValueOnly() {
		assertThat(QueryParams.single(Params.of("limit", "5", "limit", "5"), "limit")).isEqualTo("5");
		assertRejected(() -> QueryParams.single(Params.of("limit", "5", "limit", "6"), "limit"), "limit");
	}

	@Test
	void listReadsRepeatedCommaSeparatedAndBracketedValues() {
		assertThat(QueryParams.list(Params.of("models", "m1,m2", "models[]", "m3", "models", " m1 ,, m4"), "models"))
			.containsExactly("m1", "m2", "m4", "m3");
		assertThat(QueryParams.list(Params.of("models", ""), "models")).isEmpty();
		assertThat(QueryParams.list(Params.of(), "models")).isEmpty();
	}

	@Test
	void wireValuesAreDistinctInDeclarationOrder() {
		assertThat(QueryParams.wireValues(Params.of("group_by", "c, a", "group_by[]", "b", "group_by", "a"), "group_by",
				Dimension.class))
			.containsExactly(Dimension.A, Dimension.B, Dimension.C);
		assertThat(QueryParams.wireValues(Params.of("group_by", ""), "group_by", Dimension.class)).isEmpty();
	}

	@Test
	void wireValuesRefuseUnknownSpellings() {
		assertRejected(
				() -> QueryParams.wireValues(Params.of("group_by", "a,workspace_id"), "group_by", Dimension.class),
				"group_by");
		// Exact spellings only, like the JSON Schema enum keyword.
		assertRejected(() -> QueryParams.wireValues(Params.of("group_by[]", "A"), "group_by", Dimension.class),
				"group_by");
	}

	@Test
	void wireValueReadsOneExactSpelling() {
		assertThat(QueryParams.wireValue(Params.of(), "provider", Dimension.class)).isNull();
		assertThat(QueryParams.wireValue(Params.of("provider", " "), "provider", Dimension.class)).isNull();
		assertThat(QueryParams.wireValue(Params.of("provider", " b "), "provider", Dimension.class))
			.isEqualTo(Dimension.B);
		assertRejected(() -> QueryParams.wireValue(Params.of("provider", "B"), "provider", Dimension.class),
				"provider");
		assertRejected(
				() -> QueryParams.wireValue(Params.of("provider", "a", "provider", "b"), "provider", Dimension.class),
				"provider");
		// One value, not a list.
		assertRejected(() -> QueryParams.wireValue(Params.of("provider", "a,b"), "provider", Dimension.class),
				"provider");
	}

	enum Dimension implements WireValue {

		A("a"), B("b"), C("c");

		private final String wire;

		Dimension(String wire) {
			this.wire = wire;
		}

		@Override
		public String wire() {
			return this.wire;
		}

	}

}
