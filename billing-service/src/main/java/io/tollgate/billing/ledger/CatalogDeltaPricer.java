package io.tollgate.billing.ledger;

import java.util.ArrayList;
import java.util.List;

import io.tollgate.billing.catalog.PriceBook;
import io.tollgate.billing.catalog.Quote;
import io.tollgate.billing.catalog.TokenKind;
import io.tollgate.contract.MeteredUsage;

import org.springframework.stereotype.Component;

/**
 * Prices a delta with the {@link PriceBook} at the start of its bucket: one line per
 * token kind with a non-zero quantity, amount exact, at a corrected price where a price
 * correction covers the bucket.
 */
@Component
class CatalogDeltaPricer implements DeltaPricer {

	private final PriceBook prices;

	CatalogDeltaPricer(PriceBook prices) {
		this.prices = prices;
	}

	@Override
	public List<LedgerLine> price(MeteredUsage delta) {
		Quote quote = this.prices.quote(delta.provider(), delta.model(), delta.serviceTier(), delta.contextTier(),
				delta.bucketStart());
		List<LedgerLine> lines = new ArrayList<>(TokenKind.values().length);
		for (TokenKind kind : TokenKind.values()) {
			long quantity = kind.quantity(delta.tokens());
			if (quantity == 0) {
				continue;
			}
			Quote.Price price = quote.price(kind);
			lines.add(new LedgerLine(LedgerLine.USAGE, delta.deltaId(), delta.tenantId(), delta.apiKeyId(),
					delta.provider().wire(), delta.model(), quote.pricedModel(),
					quote.unpriced() || price.priceId() == null, delta.serviceTier().wire(), delta.contextTier().wire(),
					kind.wire(), delta.bucketStart(), quantity, price.usdPerMtok(),
					LedgerLine.amount(quantity, price.usdPerMtok()), price.priceId(), price.correctionId()));
		}
		return lines;
	}

}
