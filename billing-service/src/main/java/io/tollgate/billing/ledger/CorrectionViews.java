package io.tollgate.billing.ledger;

import java.util.List;

import io.tollgate.billing.catalog.PriceViews;

/**
 * The JSON of the price correction API (snake_case by the service's naming strategy).
 * Money is a plain decimal string with at least two decimals, exact; times are RFC 3339
 * in UTC.
 */
final class CorrectionViews {

	private CorrectionViews() {
	}

	/**
	 * A correction.
	 *
	 * @param id its id, referenced by its ledger entries ({@code correction_id})
	 * @param provider the provider
	 * @param model the catalog model
	 * @param serviceTier the service tier
	 * @param contextTier the context tier
	 * @param tokenKind the token kind
	 * @param usdPerMtok the corrected price, USD per million tokens
	 * @param from the first bucket start covered
	 * @param to the end of the range, exclusive
	 * @param reason why
	 * @param createdAt when it was made
	 * @param summary what it adjusted in the ledger
	 */
	record Correction(long id, String provider, String model, String serviceTier, String contextTier, String tokenKind,
			String usdPerMtok, String from, String to, String reason, String createdAt, Summary summary) {

	}

	/**
	 * What a correction adjusted when it was made.
	 *
	 * @param entriesAdjusted ledger entries (usage, and adjustments of earlier
	 * corrections) whose quantity was re-priced
	 * @param adjustmentEntries adjustment entries written: per group of them, one
	 * reversing it at its old price and one re-pricing it
	 * @param tenantsAffected tenants whose spend changed
	 * @param netAmount the net change of their spend, USD, exact (negative when the
	 * correction lowered it)
	 */
	record Summary(long entriesAdjusted, long adjustmentEntries, int tenantsAffected, String netAmount) {

	}

	/**
	 * {@code GET /admin/v1/prices/corrections}.
	 *
	 * @param data the corrections, oldest first
	 */
	record CorrectionList(List<Correction> data) {

	}

	static Correction correction(CorrectionStore.StoredCorrection stored) {
		Adjustments.Summary summary = stored.summary();
		return new Correction(stored.id(), stored.provider(), stored.model(), stored.serviceTier(),
				stored.contextTier(), stored.tokenKind(), PriceViews.money(stored.usdPerMtok()),
				stored.from().toString(), stored.to().toString(), stored.reason(), stored.createdAt().toString(),
				new Summary(summary.entriesAdjusted(), summary.adjustmentEntries(), summary.tenantsAffected(),
						PriceViews.money(summary.netAmount())));
	}

}
