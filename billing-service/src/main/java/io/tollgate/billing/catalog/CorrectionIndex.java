package io.tollgate.billing.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import org.jspecify.annotations.Nullable;

/**
 * The price corrections of a {@link PriceSnapshot}, indexed by provider and catalog
 * model.
 *
 * <p>
 * Rule: usage of a provider, catalog model, service tier, context tier and token kind
 * whose bucket starts at {@code t} takes the price of the correction of that exact key
 * with the greatest id among those with {@code from <= t < to}; without one, the price
 * versions decide. The key is the usage's own (its context tier, not the slot whose
 * version priced it when long context falls back to standard) and the catalog model the
 * quote priced it as, the fallback model's for unpriced usage: the same columns the
 * ledger records and a correction re-prices by.
 */
final class CorrectionIndex {

	static final CorrectionIndex EMPTY = of(List.of());

	/** Per provider and model, its corrections, newest first. */
	private final Map<Provider, Map<String, List<PriceCorrection>>> byModel;

	private final long watermark;

	private final int size;

	private CorrectionIndex(Map<Provider, Map<String, List<PriceCorrection>>> byModel, long watermark, int size) {
		this.byModel = byModel;
		this.watermark = watermark;
		this.size = size;
	}

	static CorrectionIndex of(Collection<PriceCorrection> corrections) {
		Map<Provider, Map<String, List<PriceCorrection>>> byModel = new EnumMap<>(Provider.class);
		long watermark = 0;
		for (PriceCorrection correction : corrections) {
			byModel.computeIfAbsent(correction.provider(), (p) -> new HashMap<>())
				.computeIfAbsent(correction.model(), (m) -> new ArrayList<>())
				.add(correction);
			watermark = Math.max(watermark, correction.id());
		}
		byModel.values()
			.forEach((models) -> models.replaceAll((model,
					list) -> list.stream().sorted(Comparator.comparingLong(PriceCorrection::id).reversed()).toList()));
		return new CorrectionIndex(byModel, watermark, corrections.size());
	}

	/**
	 * The greatest correction id indexed: corrections are stored one at a time (see
	 * {@code CorrectionStore}), so an index holds every correction up to its watermark.
	 * @return the id, 0 when there is none
	 */
	long watermark() {
		return this.watermark;
	}

	int size() {
		return this.size;
	}

	/**
	 * The correction that prices usage, following the rule on this class.
	 * @return the correction, {@code null} when the price versions decide
	 */
	@Nullable PriceCorrection find(Provider provider, String model, ServiceTier tier, ContextTier context, TokenKind kind,
			Instant at) {
		List<PriceCorrection> corrections = corrections(provider, model);
		for (PriceCorrection correction : corrections) {
			if (correction.tokenKind() == kind && correction.serviceTier() == tier
					&& correction.contextTier() == context && correction.covers(at)) {
				return correction;
			}
		}
		return null;
	}

	/**
	 * Applies the corrections to a quote.
	 * @param provider the provider
	 * @param tier the usage's service tier
	 * @param context the usage's context tier
	 * @param at the usage's bucket start
	 * @param quote the quote of the price versions
	 * @return the quote with each corrected kind's price replaced (keeping the version's
	 * price id, adding the correction's id); the same quote when nothing applies
	 */
	Quote apply(Provider provider, ServiceTier tier, ContextTier context, Instant at, Quote quote) {
		if (corrections(provider, quote.pricedModel()).isEmpty()) {
			return quote;
		}
		Map<TokenKind, Quote.Price> prices = null;
		for (TokenKind kind : TokenKind.values()) {
			PriceCorrection correction = find(provider, quote.pricedModel(), tier, context, kind, at);
			if (correction != null) {
				if (prices == null) {
					prices = new EnumMap<>(TokenKind.class);
					prices.putAll(quote.prices());
				}
				prices.put(kind,
						new Quote.Price(correction.usdPerMtok(), quote.price(kind).priceId(), correction.id()));
			}
		}
		return (prices != null) ? new Quote(quote.pricedModel(), quote.unpriced(), prices) : quote;
	}

	private List<PriceCorrection> corrections(Provider provider, String model) {
		Map<String, List<PriceCorrection>> models = this.byModel.get(provider);
		if (models == null) {
			return List.of();
		}
		return models.getOrDefault(model, List.of());
	}

}
