package io.tollgate.billing.catalog;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CatalogFileTests {

	/** A valid file with one model per provider; tests break one part of it. */
	private static final String VALID = """
			{"source": "test", "checked_on": "2026-11-23",
			 "providers": {
			   "anthropic": {"tier_multipliers": {"batch": "0.5", "priority": "1", "flex": "1"},
			                 "cache_writes_priced_as_input": false},
			   "openai": {"tier_multipliers": {"batch": "0.5", "priority": "1", "flex": "0.5"},
			              "cache_writes_priced_as_input": true}},
			 "models": [
			   {"provider": "anthropic", "model": "claude-m", "effective_from": "2025-01-01T00:00:00Z",
			    "standard": {"input": "3.00", "output": "15", "cache_write_5m": "3.75", "cache_write_1h": "6",
			                 "cache_read": "0.30"},
			    "long": {"input": "6", "output": "22.50", "cache_write_5m": "7.5", "cache_write_1h": "12",
			             "cache_read": "0.6"}},
			   {"provider": "openai", "model": "gpt-m", "effective_from": "2025-01-01T00:00:00Z",
			    "standard": {"input": "1.25", "cache_read": "0.125", "output": "10"},
			    "tiers": {"priority": {"input": "2.50", "cache_read": "0.25", "output": "20"}}}]}""";

	static CatalogFile shipped() throws Exception {
		try (InputStream in = CatalogFileTests.class.getResourceAsStream("/catalog/prices.json")) {
			return CatalogFile.read(in, "catalog/prices.json");
		}
	}

	@Test
	void expandsEveryTierContextAndKindOfEveryShippedEntryOnce() throws Exception {
		CatalogFile catalog = shipped();
		Set<String> entries = new HashSet<>();
		Set<String> keys = new HashSet<>();
		for (NewPrice row : catalog.prices()) {
			assertThat(row.usdPerMtok()).isNotNegative();
			entries.add(row.provider() + " " + row.model() + " " + row.effectiveFrom());
			assertThat(keys.add(row.provider() + " " + row.model() + " " + row.serviceTier() + " " + row.contextTier()
					+ " " + row.tokenKind() + " " + row.effectiveFrom()))
				.as("one row per key")
				.isTrue();
		}
		assertThat(entries).hasSizeGreaterThanOrEqualTo(30);
		assertThat(catalog.prices()).hasSize(
				entries.size() * ServiceTier.values().length * ContextTier.values().length * TokenKind.values().length);
		assertThat(catalog.checkedOn()).hasToString("2026-11-23");
	}

	@ParameterizedTest(name = "{0} {1} {2}/{3} {4} = {5}")
	@CsvSource({ "anthropic, claude-sonnet-4-5, standard, standard, input, 3",
			"anthropic, claude-sonnet-4-5, standard, standard, cache_write_5m, 3.75",
			"anthropic, claude-sonnet-4-5, standard, standard, cache_write_1h, 6",
			"anthropic, claude-sonnet-4-5, standard, long, output, 22.50",
			"anthropic, claude-sonnet-4-5, batch, long, cache_read, 0.30",
			"anthropic, claude-sonnet-4-5, batch, standard, output, 7.50",
			"anthropic, claude-sonnet-4, standard, long, input, 6",
			"anthropic, claude-opus-4-5, standard, standard, output, 25",
			"anthropic, claude-opus-4-1, standard, standard, input, 15",
			"anthropic, claude-opus-4-1, standard, long, input, 15",
			"anthropic, claude-haiku-4-5, priority, standard, output, 5",
			"anthropic, claude-haiku-4-5, flex, standard, input, 1",
			"anthropic, claude-3-5-haiku, standard, standard, cache_write_1h, 1.60",
			"openai, gpt-5, standard, standard, cache_read, 0.125",
			"openai, gpt-5, standard, standard, cache_write_5m, 1.25", "openai, gpt-5, priority, standard, output, 20",
			"openai, gpt-5, flex, standard, input, 0.625", "openai, gpt-5, batch, long, cache_read, 0.0625",
			"openai, gpt-5-mini, priority, standard, cache_read, 0.045",
			"openai, gpt-5-nano, priority, standard, output, 0.40",
			"openai, gpt-4.1-nano, standard, standard, input, 0.10",
			"openai, gpt-4o-mini, standard, standard, cache_read, 0.075",
			"openai, o4-mini, flex, standard, output, 2.20", "gemini, gemini-2.5-pro, standard, long, cache_read, 0.25",
			"gemini, gemini-2.5-pro, batch, long, input, 1.25",
			"gemini, gemini-2.5-flash, standard, standard, cache_write_1h, 0.30",
			"gemini, gemini-2.5-flash, standard, long, output, 2.50",
			"gemini, gemini-2.5-flash-lite, standard, standard, cache_read, 0.01",
			"gemini, gemini-2.5-flash-lite, flex, standard, input, 0.10" })
	void holdsThePublishedListPrices(String provider, String model, String tier, String context, String kind,
			String expected) throws Exception {
		List<NewPrice> rows = shipped().prices()
			.stream()
			.filter((row) -> row.provider().wire().equals(provider) && row.model().equals(model)
					&& row.serviceTier().wire().equals(tier) && row.contextTier().wire().equals(context)
					&& row.tokenKind().wire().equals(kind))
			.toList();
		assertThat(rows).singleElement()
			.satisfies((row) -> assertThat(row.usdPerMtok()).isEqualByComparingTo(expected));
	}

	@Test
	void expandsTiersByMultiplierOrExplicitPricesAndDerivesCacheWrites() {
		List<NewPrice> rows = parse(VALID).prices();
		assertThat(price(rows, Provider.ANTHROPIC, "claude-m", ServiceTier.BATCH, ContextTier.LONG, TokenKind.OUTPUT))
			.isEqualByComparingTo("11.25");
		assertThat(price(rows, Provider.ANTHROPIC, "claude-m", ServiceTier.FLEX, ContextTier.STANDARD,
				TokenKind.CACHE_WRITE_1H))
			.isEqualByComparingTo("6");
		assertThat(
				price(rows, Provider.OPENAI, "gpt-m", ServiceTier.PRIORITY, ContextTier.LONG, TokenKind.CACHE_WRITE_5M))
			.isEqualByComparingTo("2.50");
		assertThat(price(rows, Provider.OPENAI, "gpt-m", ServiceTier.FLEX, ContextTier.STANDARD, TokenKind.CACHE_READ))
			.isEqualByComparingTo("0.0625");
		// Stored without trailing zeros, never in exponent notation.
		assertThat(price(rows, Provider.ANTHROPIC, "claude-m", ServiceTier.STANDARD, ContextTier.STANDARD,
				TokenKind.INPUT))
			.hasToString("3");
		assertThat(price(rows, Provider.OPENAI, "gpt-m", ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.OUTPUT))
			.hasToString("10");
	}

	@Test
	void readsANumberPriceAsAnExactDecimal() {
		List<NewPrice> rows = parse(VALID.replace("\"input\": \"1.25\"", "\"input\": 1.1")).prices();
		assertThat(price(rows, Provider.OPENAI, "gpt-m", ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT))
			.isEqualTo(new BigDecimal("1.1"));
	}

	@ParameterizedTest(name = "{2}")
	@CsvSource(delimiter = '|', value = {
			"\"input\": \"3.00\"|\"input\": \"-3\"|models[0] (anthropic claude-m).standard.input is negative",
			"\"input\": \"3.00\"|\"input\": \"three\"|models[0] (anthropic claude-m).standard.input is not a decimal",
			"\"input\": \"3.00\"|\"input\": true|models[0] (anthropic claude-m).standard.input must be a decimal",
			"\"input\": \"3.00\", |\"input_tokens\": \"3\", |models[0] (anthropic claude-m).standard.input_tokens \"input_tokens\" is not one of",
			"\"input\": \"3.00\", \"output\": \"15\", |\"output\": \"15\", |models[0] (anthropic claude-m).standard has no price for input",
			"\"provider\": \"openai\", \"model\": \"gpt-m\"|\"provider\": \"mistral\", \"model\": \"gpt-m\"|models[1].provider \"mistral\" is not one of anthropic, openai, gemini",
			"\"tiers\": {\"priority\"|\"tiers\": {\"premium\"|models[1] (openai gpt-m).tiers.premium \"premium\" is not one of",
			"\"batch\": \"0.5\", \"priority\": \"1\", \"flex\": \"0.5\"|\"batch\": \"0.5\", \"priority\": \"1\"|providers.openai.tier_multipliers has no multiplier for flex",
			"\"cache_read\": \"0.125\"|\"cache_read\": \"0.125\", \"cache_write_5m\": \"2\"|models[1] (openai gpt-m).standard.cache_write_5m must not be given",
			"\"model\": \"gpt-m\", |\"model\": \"gpt-m\", \"modle\": \"x\", |models[1] (openai gpt-m) has an unknown field \"modle\"",
			"\"model\": \"gpt-m\", \"effective_from\": \"2025-01-01T00:00:00Z\"|\"model\": \"gpt-m\", \"effective_from\": \"2025-01-01\"|models[1] (openai gpt-m).effective_from is not a UTC time",
			"\"model\": \"claude-m\"|\"model\": \"Claude-M\"|models[0] (anthropic Claude-M).model must be a lower-case catalog name",
			"\"checked_on\": \"2026-11-23\"|\"checked_on\": \"yesterday\"|checked_on is not a date",
			"\"model\": \"gpt-m\"|\"model\": \"claude-m\", \"provider\": \"anthropic\"|The JSON is invalid" })
	void refusesABrokenFileNamingTheEntry(String find, String replace, String message) {
		String broken = VALID.replace(find, replace);
		assertThat(broken).isNotEqualTo(VALID);
		if (message.equals("The JSON is invalid")) {
			// A repeated key: refused rather than one of the two silently winning.
			assertThatIllegalStateException().isThrownBy(() -> parse(broken)).withMessageContaining("not valid JSON");
			return;
		}
		assertThatIllegalStateException().isThrownBy(() -> parse(broken))
			.withMessageStartingWith("price catalog test.json: ")
			.withMessageContaining(message);
	}

	@Test
	void refusesTheSameModelTwiceAtTheSameTime() {
		String twice = VALID.replace("\"models\": [", """
				"models": [{"provider": "openai", "model": "gpt-m", "effective_from": "2025-01-01T00:00:00Z",
				  "standard": {"input": "1", "cache_read": "0.1", "output": "2"}},""");
		assertThatIllegalStateException().isThrownBy(() -> parse(twice))
			.withMessageContaining(
					"models[2] (openai gpt-m) repeats the entry with effective_from 2025-01-01T00:00:00Z");
	}

	@Test
	void refusesAModelWithLongContextAndAnExplicitTierWithoutItsLongPrices() {
		String tiered = VALID.replace("\"cache_read\": \"0.6\"}}",
				"\"cache_read\": \"0.6\"}, \"tiers\": {\"priority\": {\"input\": \"6\", \"output\": \"30\", "
						+ "\"cache_write_5m\": \"7.5\", \"cache_write_1h\": \"12\", \"cache_read\": \"0.6\"}}}");
		assertThatIllegalStateException().isThrownBy(() -> parse(tiered))
			.withMessageContaining("models[0] (anthropic claude-m).tiers_long has no priority prices");
	}

	private static CatalogFile parse(String json) {
		return CatalogFile.read(() -> new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
				"test.json");
	}

	private static BigDecimal price(List<NewPrice> rows, Provider provider, String model, ServiceTier tier,
			ContextTier context, TokenKind kind) {
		return rows.stream()
			.filter((row) -> row.provider() == provider && row.model().equals(model) && row.serviceTier() == tier
					&& row.contextTier() == context && row.tokenKind() == kind)
			.findFirst()
			.orElseThrow()
			.usdPerMtok();
	}

}
