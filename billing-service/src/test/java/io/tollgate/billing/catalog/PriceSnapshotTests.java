package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PriceSnapshotTests {

	private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	/** A price change mid-month: Sonnet 4.5 standard input from $3 to $2.50. */
	private static final Instant CHANGE = Instant.parse("2026-11-15T12:00:00Z");

	private static final long CHANGE_ID = 999_999;

	private static final Map<Provider, String> FALLBACKS = Map.of(Provider.ANTHROPIC, "claude-opus-4-1",
			Provider.GEMINI, "models/Gemini-2.5-Pro");

	private final PriceSnapshot snapshot = snapshot();

	private static PriceSnapshot snapshot() {
		List<PriceRow> rows = new ArrayList<>(shippedRows());
		rows.add(row(CHANGE_ID, "anthropic", "claude-sonnet-4-5", "standard", "standard", "input", "2.50", CHANGE));
		// A model added through the admin API with standard-context prices only.
		for (TokenKind kind : TokenKind.values()) {
			rows.add(row(500_000 + kind.ordinal(), "openai", "gpt-new", "standard", "standard", kind.wire(), "1",
					Instant.parse("2026-01-01T00:00:00Z")));
		}
		return PriceSnapshot.of(rows);
	}

	static List<PriceRow> shippedRows() {
		List<PriceRow> rows = new ArrayList<>();
		try {
			long id = 1;
			for (NewPrice price : CatalogFileTests.shipped().prices()) {
				rows.add(new PriceRow(id++, price.provider().wire(), price.model(), price.serviceTier().wire(),
						price.contextTier().wire(), price.tokenKind().wire(), price.usdPerMtok(), price.effectiveFrom(),
						"catalog:prices.json@2026-11-23"));
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return rows;
	}

	private static PriceRow row(long id, String provider, String model, String tier, String context, String kind,
			String price, Instant from) {
		return new PriceRow(id, provider, model, tier, context, kind, new BigDecimal(price), from, "test");
	}

	@ParameterizedTest(name = "{0} {1} -> {2}")
	@CsvSource({ "anthropic, claude-sonnet-4-5, claude-sonnet-4-5",
			"anthropic, claude-sonnet-4-5-20250929, claude-sonnet-4-5",
			"anthropic, CLAUDE-Sonnet-4-5, claude-sonnet-4-5",
			"anthropic, claude-sonnet-4-5@20250929, claude-sonnet-4-5",
			"anthropic, claude-sonnet-4-20250514, claude-sonnet-4", "anthropic, claude-sonnet-4-0, claude-sonnet-4",
			"anthropic, claude-opus-4-0, claude-opus-4", "openai, gpt-4.1-mini-2025-04-14, gpt-4.1-mini",
			"anthropic, claude-opus-4-1-20250805, claude-opus-4-1", "anthropic, claude-opus-4-20250514, claude-opus-4",
			"anthropic, claude-3-5-haiku-latest, claude-3-5-haiku",
			"anthropic, claude-haiku-4-5@20251001, claude-haiku-4-5", "openai, gpt-4o-mini-2024-07-18, gpt-4o-mini",
			"openai, gpt-4o-2024-08-06, gpt-4o", "openai, gpt-4o-2024-05-13, gpt-4o-2024-05-13",
			"openai, gpt-4.1-nano, gpt-4.1-nano", "openai, gpt-4.1-nano-2025-04-14, gpt-4.1-nano",
			"openai, gpt-4.1-2025-04-14, gpt-4.1", "openai, gpt-5-2025-08-07, gpt-5",
			"openai, gpt-5-mini-2025-08-07, gpt-5-mini", "openai, gpt-5.1, gpt-5.1",
			"openai, gpt-5-pro-2025-10-06, gpt-5-pro", "openai, o3-2025-04-16, o3",
			"openai, o3-mini-2025-01-31, o3-mini", "openai, o4-mini-2025-04-16, o4-mini",
			"gemini, gemini-2.5-flash, gemini-2.5-flash", "gemini, models/gemini-2.5-flash, gemini-2.5-flash",
			"gemini, gemini-2.5-flash-preview-05-20, gemini-2.5-flash",
			"gemini, gemini-2.5-flash-lite-preview-06-17, gemini-2.5-flash-lite",
			"gemini, models/gemini-2.5-pro-preview-06-05, gemini-2.5-pro",
			"gemini, gemini-2.0-flash-001, gemini-2.0-flash" })
	void resolvesReportedModelsToTheLongestCatalogEntry(String provider, String reported, String expected) {
		Quote quote = this.snapshot.quote(Provider.fromWire(provider).orElseThrow(), reported, ServiceTier.STANDARD,
				ContextTier.STANDARD, NOW, FALLBACKS);
		assertThat(quote.pricedModel()).isEqualTo(expected);
		assertThat(quote.unpriced()).isFalse();
	}

	@ParameterizedTest(name = "{0} {1} -> {2} (unpriced)")
	@CsvSource({ "anthropic, claude-mystery-9, claude-opus-4-1",
			// A newer version is not a snapshot of an older model.
			"anthropic, claude-opus-4-6, claude-opus-4-1", "anthropic, claude-sonnet-4-7-20260101, claude-opus-4-1",
			// Only the provider's own catalog counts.
			"anthropic, gpt-5, claude-opus-4-1", "anthropic, claude-sonnet-4-5x, claude-opus-4-1",
			"gemini, gemini-9-ultra, gemini-2.5-pro",
			// No fallback for OpenAI here: priced at zero, under its own name.
			"openai, gpt-99, gpt-99" })
	void pricesAnUnknownModelByTheFallbackAndFlagsIt(String provider, String reported, String pricedAs) {
		Quote quote = this.snapshot.quote(Provider.fromWire(provider).orElseThrow(), reported, ServiceTier.STANDARD,
				ContextTier.STANDARD, NOW, FALLBACKS);
		assertThat(quote.unpriced()).isTrue();
		assertThat(quote.pricedModel()).isEqualTo(pricedAs);
	}

	@Test
	void usesTheFallbackModelsPricesOrZero() {
		Quote fallback = this.snapshot.quote(Provider.ANTHROPIC, "claude-mystery-9", ServiceTier.BATCH,
				ContextTier.STANDARD, NOW, FALLBACKS);
		assertThat(fallback.price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("7.50");
		assertThat(fallback.price(TokenKind.INPUT).priceId()).isNotNull();
		Quote zero = this.snapshot.quote(Provider.OPENAI, "gpt-99", ServiceTier.STANDARD, ContextTier.STANDARD, NOW,
				FALLBACKS);
		assertThat(zero.prices()).isEmpty();
		assertThat(zero.price(TokenKind.OUTPUT)).isEqualTo(Quote.Price.NONE);
		assertThat(zero.price(TokenKind.OUTPUT).usdPerMtok()).isEqualByComparingTo("0");
	}

	@Test
	void appliesAPriceChangeFromItsEffectiveTimeOnly() {
		Quote before = quote("claude-sonnet-4-5", ServiceTier.STANDARD, ContextTier.STANDARD, CHANGE.minusNanos(1000));
		Quote at = quote("claude-sonnet-4-5", ServiceTier.STANDARD, ContextTier.STANDARD, CHANGE);
		Quote after = quote("claude-sonnet-4-5-20250929", ServiceTier.STANDARD, ContextTier.STANDARD,
				CHANGE.plusSeconds(86_400));
		assertThat(before.price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("3");
		assertThat(before.price(TokenKind.INPUT).priceId()).isNotEqualTo(CHANGE_ID);
		assertThat(at.price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("2.50");
		assertThat(at.price(TokenKind.INPUT).priceId()).isEqualTo(CHANGE_ID);
		assertThat(after.price(TokenKind.INPUT).priceId()).isEqualTo(CHANGE_ID);
		// Kinds the change left out keep their price and its id.
		assertThat(at.price(TokenKind.OUTPUT)).isEqualTo(before.price(TokenKind.OUTPUT));
		assertThat(at.price(TokenKind.OUTPUT).usdPerMtok()).isEqualByComparingTo("15");
		// Other tiers did not change.
		assertThat(quote("claude-sonnet-4-5", ServiceTier.BATCH, ContextTier.STANDARD, CHANGE).price(TokenKind.INPUT)
			.usdPerMtok()).isEqualByComparingTo("1.50");
	}

	@Test
	void keepsEachSeededVersionForItsOwnPeriod() {
		assertThat(quote("o3", ServiceTier.STANDARD, ContextTier.STANDARD, Instant.parse("2025-05-01T00:00:00Z"))
			.price(TokenKind.OUTPUT)
			.usdPerMtok()).isEqualByComparingTo("40");
		assertThat(quote("o3-2025-04-16", ServiceTier.STANDARD, ContextTier.STANDARD, NOW).price(TokenKind.OUTPUT)
			.usdPerMtok()).isEqualByComparingTo("8");
		// The priority tier was first priced explicitly with the second version.
		assertThat(quote("o3", ServiceTier.PRIORITY, ContextTier.STANDARD, Instant.parse("2025-05-01T00:00:00Z"))
			.price(TokenKind.INPUT)
			.usdPerMtok()).isEqualByComparingTo("10");
		assertThat(quote("o3", ServiceTier.PRIORITY, ContextTier.STANDARD, NOW).price(TokenKind.INPUT).usdPerMtok())
			.isEqualByComparingTo("3.50");
	}

	@Test
	void treatsUsageBeforeAModelsFirstPriceAsUnpriced() {
		Quote quote = this.snapshot.quote(Provider.ANTHROPIC, "claude-opus-4-5", ServiceTier.STANDARD,
				ContextTier.STANDARD, Instant.parse("2025-11-01T00:00:00Z"), FALLBACKS);
		assertThat(quote.unpriced()).isTrue();
		assertThat(quote.pricedModel()).isEqualTo("claude-opus-4-1");
		assertThat(quote.price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("15");
		// Before even the fallback had a price: zero, still flagged.
		Quote early = this.snapshot.quote(Provider.ANTHROPIC, "claude-opus-4-5", ServiceTier.STANDARD,
				ContextTier.STANDARD, Instant.parse("2024-01-01T00:00:00Z"), FALLBACKS);
		assertThat(early.unpriced()).isTrue();
		assertThat(early.prices()).isEmpty();
	}

	@Test
	void pricesLongContextAsStandardWhenTheModelHasNoLongContextPrices() {
		Quote quote = quote("gpt-new", ServiceTier.STANDARD, ContextTier.LONG, NOW);
		assertThat(quote.unpriced()).isFalse();
		assertThat(quote.price(TokenKind.OUTPUT).priceId()).isEqualTo(500_000L + TokenKind.OUTPUT.ordinal());
		// A tier the model has no prices for is unpriced (OpenAI has no fallback here).
		assertThat(quote("gpt-new", ServiceTier.BATCH, ContextTier.STANDARD, NOW).unpriced()).isTrue();
	}

	@Test
	void pricesEveryShippedModelForEveryTierContextAndKind() throws Exception {
		Instant now = TestClock.shared().instant();
		int combinations = 0;
		for (NewPrice entry : CatalogFileTests.shipped().prices()) {
			Quote quote = this.snapshot.quote(entry.provider(), entry.model(), entry.serviceTier(), entry.contextTier(),
					now, Map.of());
			assertThat(quote.unpriced()).as(entry.toString()).isFalse();
			assertThat(quote.pricedModel()).isEqualTo(entry.model());
			for (TokenKind kind : TokenKind.values()) {
				Quote.Price price = quote.price(kind);
				assertThat(price.priceId()).as(entry + " " + kind).isNotNull();
				assertThat(price.usdPerMtok()).isInstanceOf(BigDecimal.class).isNotNegative();
			}
			combinations++;
		}
		assertThat(combinations).isPositive();
	}

	private Quote quote(String model, ServiceTier tier, ContextTier context, Instant at) {
		Provider provider = model.startsWith("claude") ? Provider.ANTHROPIC
				: model.startsWith("gemini") ? Provider.GEMINI : Provider.OPENAI;
		return this.snapshot.quote(provider, model, tier, context, at, FALLBACKS);
	}

}
