package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Price corrections in the price snapshot, on the shipped catalog: Claude Sonnet 4.5
 * standard input is $3 per million, batch input $1.50, output $15, long-context input $6;
 * Claude Opus 4.1 (the Anthropic fallback here) is $15 input.
 */
class CorrectionIndexTests {

	private static final Map<Provider, String> FALLBACKS = Map.of(Provider.ANTHROPIC, "claude-opus-4-1");

	private static final String SONNET = "claude-sonnet-4-5";

	@Test
	void latestCorrectionWinsWhereRangesOverlap() {
		PriceSnapshot snapshot = snapshot(
				correction(1, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT, "2.00",
						"2025-10-01T00:00:00Z", "2025-10-10T00:00:00Z"),
				// Later, overlapping the end of the first and beyond.
				correction(2, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT, "2.50",
						"2025-10-05T00:00:00Z", "2025-10-15T00:00:00Z"),
				// Later still, one day inside the second.
				correction(3, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT, "1.00",
						"2025-10-06T00:00:00Z", "2025-10-07T00:00:00Z"));
		assertThat(input(snapshot, "2025-09-30T23:59:00Z")).isEqualByComparingTo("3");
		assertThat(input(snapshot, "2025-10-03T00:00:00Z")).isEqualByComparingTo("2.00");
		assertThat(input(snapshot, "2025-10-05T00:00:00Z")).isEqualByComparingTo("2.50");
		assertThat(input(snapshot, "2025-10-06T12:00:00Z")).isEqualByComparingTo("1.00");
		assertThat(input(snapshot, "2025-10-07T00:00:00Z")).isEqualByComparingTo("2.50");
		assertThat(input(snapshot, "2025-10-12T00:00:00Z")).isEqualByComparingTo("2.50");
		assertThat(input(snapshot, "2025-10-15T00:00:00Z")).isEqualByComparingTo("3");
		assertThat(quote(snapshot, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, "2025-10-06T12:00:00Z")
			.price(TokenKind.INPUT)
			.correctionId()).isEqualTo(3L);
	}

	@Test
	void anOlderCorrectionDoesNotWinByBeingNarrower() {
		PriceSnapshot snapshot = snapshot(
				correction(1, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT, "1.00",
						"2025-10-06T00:00:00Z", "2025-10-07T00:00:00Z"),
				correction(2, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT, "2.50",
						"2025-10-01T00:00:00Z", "2025-10-31T00:00:00Z"));
		assertThat(input(snapshot, "2025-10-06T12:00:00Z")).isEqualByComparingTo("2.50");
	}

	@Test
	void coversFromInclusiveToExclusive() {
		PriceCorrection correction = correction(7, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT,
				"2", "2025-10-06T10:00:00Z", "2025-10-06T12:00:00Z");
		assertThat(correction.covers(Instant.parse("2025-10-06T09:59:00Z"))).isFalse();
		assertThat(correction.covers(Instant.parse("2025-10-06T10:00:00Z"))).isTrue();
		assertThat(correction.covers(Instant.parse("2025-10-06T11:59:59.999999Z"))).isTrue();
		assertThat(correction.covers(Instant.parse("2025-10-06T12:00:00Z"))).isFalse();
	}

	@Test
	void correctsOnlyItsOwnKeyAndKeepsTheVersionsPriceId() {
		PriceSnapshot plain = snapshot();
		PriceSnapshot snapshot = snapshot(correction(4, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD,
				TokenKind.INPUT, "2.40", "2025-10-06T00:00:00Z", "2025-10-07T00:00:00Z"));
		String at = "2025-10-06T10:00:00Z";
		Quote corrected = quote(snapshot, "claude-sonnet-4-5-20250929", ServiceTier.STANDARD, ContextTier.STANDARD, at);
		Quote original = quote(plain, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, at);
		assertThat(corrected.unpriced()).isFalse();
		assertThat(corrected.price(TokenKind.INPUT))
			.isEqualTo(new Quote.Price(new BigDecimal("2.40"), original.price(TokenKind.INPUT).priceId(), 4L));
		// Other kinds, tiers, context tiers and models keep the versions' prices.
		assertThat(corrected.price(TokenKind.OUTPUT)).isEqualTo(original.price(TokenKind.OUTPUT));
		assertThat(quote(snapshot, SONNET, ServiceTier.BATCH, ContextTier.STANDARD, at).price(TokenKind.INPUT))
			.isEqualTo(quote(plain, SONNET, ServiceTier.BATCH, ContextTier.STANDARD, at).price(TokenKind.INPUT));
		assertThat(
				quote(snapshot, SONNET, ServiceTier.STANDARD, ContextTier.LONG, at).price(TokenKind.INPUT).usdPerMtok())
			.isEqualByComparingTo("6");
		assertThat(quote(snapshot, "claude-sonnet-4", ServiceTier.STANDARD, ContextTier.STANDARD, at)
			.price(TokenKind.INPUT)
			.correctionId()).isNull();
		// Nothing applies: the very same quote.
		Quote outside = quote(snapshot, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, "2025-10-08T00:00:00Z");
		assertThat(outside)
			.isEqualTo(quote(plain, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, "2025-10-08T00:00:00Z"));
	}

	@Test
	void correctsUnpricedUsageThatTheCorrectedModelPricedAsFallback() {
		PriceSnapshot snapshot = snapshot(correction(5, "claude-opus-4-1", ServiceTier.STANDARD, ContextTier.STANDARD,
				TokenKind.INPUT, "12", "2025-10-06T00:00:00Z", "2025-10-07T00:00:00Z"));
		Quote quote = quote(snapshot, "claude-mystery-9", ServiceTier.STANDARD, ContextTier.STANDARD,
				"2025-10-06T10:00:00Z");
		assertThat(quote.unpriced()).isTrue();
		assertThat(quote.pricedModel()).isEqualTo("claude-opus-4-1");
		assertThat(quote.price(TokenKind.INPUT).usdPerMtok()).isEqualByComparingTo("12");
		assertThat(quote.price(TokenKind.INPUT).correctionId()).isEqualTo(5L);
	}

	@Test
	void longContextPricedAsStandardIsCorrectedByALongContextCorrectionOnly() {
		List<PriceRow> rows = new ArrayList<>(PriceSnapshotTests.shippedRows());
		for (TokenKind kind : TokenKind.values()) {
			rows.add(new PriceRow(700_000 + kind.ordinal(), "anthropic", "claude-short", "standard", "standard",
					kind.wire(), BigDecimal.ONE, Instant.parse("2025-01-01T00:00:00Z"), "test"));
		}
		PriceSnapshot standardOnly = PriceSnapshot.of(rows, List.of(correction(8, "claude-short", ServiceTier.STANDARD,
				ContextTier.STANDARD, TokenKind.INPUT, "0.5", "2025-10-06T00:00:00Z", "2025-10-07T00:00:00Z")));
		PriceSnapshot longOnly = PriceSnapshot.of(rows, List.of(correction(9, "claude-short", ServiceTier.STANDARD,
				ContextTier.LONG, TokenKind.INPUT, "2", "2025-10-06T00:00:00Z", "2025-10-07T00:00:00Z")));
		String at = "2025-10-06T10:00:00Z";
		assertThat(
				quote(standardOnly, "claude-short", ServiceTier.STANDARD, ContextTier.LONG, at).price(TokenKind.INPUT)
					.usdPerMtok())
			.isEqualByComparingTo("1");
		assertThat(quote(longOnly, "claude-short", ServiceTier.STANDARD, ContextTier.LONG, at).price(TokenKind.INPUT)
			.usdPerMtok()).isEqualByComparingTo("2");
		assertThat(
				quote(longOnly, "claude-short", ServiceTier.STANDARD, ContextTier.STANDARD, at).price(TokenKind.INPUT)
					.usdPerMtok())
			.isEqualByComparingTo("1");
	}

	@Test
	void watermarkIsTheGreatestIdRead() {
		assertThat(snapshot().corrections().watermark()).isZero();
		assertThat(snapshot(
				correction(12, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, TokenKind.INPUT, "1",
						"2025-10-01T00:00:00Z", "2025-10-02T00:00:00Z"),
				correction(3, SONNET, ServiceTier.BATCH, ContextTier.STANDARD, TokenKind.INPUT, "1",
						"2025-10-01T00:00:00Z", "2025-10-02T00:00:00Z"))
			.corrections()
			.watermark()).isEqualTo(12);
	}

	private static PriceSnapshot snapshot(PriceCorrection... corrections) {
		return PriceSnapshot.of(PriceSnapshotTests.shippedRows(), List.of(corrections));
	}

	private static PriceCorrection correction(long id, String model, ServiceTier tier, ContextTier context,
			TokenKind kind, String price, String from, String to) {
		return new PriceCorrection(id, Provider.ANTHROPIC, model, tier, context, kind, new BigDecimal(price),
				Instant.parse(from), Instant.parse(to));
	}

	private static BigDecimal input(PriceSnapshot snapshot, String at) {
		return quote(snapshot, SONNET, ServiceTier.STANDARD, ContextTier.STANDARD, at).price(TokenKind.INPUT)
			.usdPerMtok();
	}

	private static Quote quote(PriceSnapshot snapshot, String model, ServiceTier tier, ContextTier context, String at) {
		return snapshot.quote(Provider.ANTHROPIC, model, tier, context, Instant.parse(at), FALLBACKS);
	}

}
