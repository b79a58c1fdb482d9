package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.tollgate.billing.catalog.PriceCorrection;

/**
 * The adjusting entries of a price correction, from the ledger's entries in its range
 * (pure: {@link CorrectionStore} reads the groups and writes the lines).
 *
 * <p>
 * Rule: the entries of the correction's key whose usage starts in its range are grouped
 * by tenant, key, reported model, unpriced flag, quarter hour of {@code usage_at} and
 * unit price, usage and earlier adjustments together, so that each group's quantity is
 * what is still billed at that price (a second correction sees what the first moved).
 * Each group with a non-zero quantity {@code q} at a price {@code p} other than the
 * corrected price {@code c} gets two entries, both at the start of its quarter hour:
 * {@code -q} at {@code p} (amount {@code -q x p / 1e6}) and {@code +q} at {@code c}
 * (amount {@code q x c / 1e6}), exact. The net change is the sum of their amounts.
 *
 * <p>
 * Why quarter hours: an adjustment lands in the same spend hour as what it adjusts, and
 * in the same budget period under any tenant calendar, since every time zone's offset is
 * a whole number of quarter hours and periods start at local midnight; coarser (an hour)
 * would misfile usage of zones such as Asia/Kolkata across a day boundary. At most four
 * pairs per group and hour keeps the ledger small.
 */
final class Adjustments {

	private final List<LedgerLine> lines;

	private final Set<String> tenants;

	private final long entriesAdjusted;

	private final BigDecimal netAmount;

	private Adjustments(List<LedgerLine> lines, Set<String> tenants, long entriesAdjusted, BigDecimal netAmount) {
		this.lines = lines;
		this.tenants = tenants;
		this.entriesAdjusted = entriesAdjusted;
		this.netAmount = netAmount;
	}

	/**
	 * The adjustments of a correction.
	 * @param correction the correction, with its id
	 * @param groups the ledger's entries of its key and range, grouped as on this class
	 * @return the lines to append and the summary
	 */
	static Adjustments of(PriceCorrection correction, List<Group> groups) {
		List<LedgerLine> lines = new ArrayList<>(groups.size() * 2);
		Set<String> tenants = new TreeSet<>();
		long entries = 0;
		BigDecimal net = BigDecimal.ZERO;
		BigDecimal corrected = correction.usdPerMtok();
		for (Group group : groups) {
			if (group.quantity() == 0 || group.usdPerMtok().compareTo(corrected) == 0) {
				continue;
			}
			LedgerLine reversal = line(correction, group, -group.quantity(), group.usdPerMtok());
			LedgerLine repricing = line(correction, group, group.quantity(), corrected);
			lines.add(reversal);
			lines.add(repricing);
			tenants.add(group.tenantId());
			entries += group.entries();
			net = net.add(reversal.amount()).add(repricing.amount());
		}
		return new Adjustments(List.copyOf(lines), Set.copyOf(tenants), entries, net);
	}

	private static LedgerLine line(PriceCorrection correction, Group group, long quantity, BigDecimal usdPerMtok) {
		return new LedgerLine(LedgerLine.ADJUSTMENT, null, group.tenantId(), group.apiKeyId(),
				correction.provider().wire(), group.model(), correction.model(), group.unpriced(),
				correction.serviceTier().wire(), correction.contextTier().wire(), correction.tokenKind().wire(),
				group.quarterHour(), quantity, usdPerMtok, LedgerLine.amount(quantity, usdPerMtok), null,
				correction.id());
	}

	/**
	 * The entries to append: for each group re-priced, the reversal and then the
	 * re-pricing.
	 * @return the lines
	 */
	List<LedgerLine> lines() {
		return this.lines;
	}

	/**
	 * The tenants whose spend changes.
	 * @return the tenant ids
	 */
	Set<String> tenants() {
		return this.tenants;
	}

	/**
	 * What the correction did to the ledger.
	 * @return the summary
	 */
	Summary summary() {
		return new Summary(this.entriesAdjusted, this.lines.size(), this.tenants.size(), this.netAmount);
	}

	/**
	 * Ledger entries of one tenant, key, reported model, unpriced flag, quarter hour and
	 * unit price, of the correction's key and range.
	 *
	 * @param tenantId the tenant
	 * @param apiKeyId the key
	 * @param model the reported model
	 * @param unpriced whether the entries were priced by the fallback rule
	 * @param quarterHour the start of the quarter hour (UTC) of their {@code usage_at}
	 * @param usdPerMtok their unit price
	 * @param quantity the sum of their quantities
	 * @param entries how many entries
	 */
	record Group(String tenantId, String apiKeyId, String model, boolean unpriced, Instant quarterHour,
			BigDecimal usdPerMtok, long quantity, long entries) {

	}

	/**
	 * What a correction did to the ledger.
	 *
	 * @param entriesAdjusted the entries (usage and earlier adjustments) whose quantity
	 * was re-priced
	 * @param adjustmentEntries the adjustment entries written (two per group)
	 * @param tenantsAffected the tenants whose spend changed
	 * @param netAmount the net change of their spend, USD, exact
	 */
	record Summary(long entriesAdjusted, long adjustmentEntries, int tenantsAffected, BigDecimal netAmount) {

	}

}
