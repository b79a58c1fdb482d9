-- Price corrections: a wrong price of one key (provider, catalog model, service tier, context
-- tier, token kind) over a past range of usage. The price versions are never edited: the price
-- book quotes a correction's price for usage whose bucket starts in [usage_from, usage_to)
-- (the latest correction wins where they overlap), and the ledger records what was already
-- priced in the range as adjustment entries that reference the correction, written in the
-- same transaction as this row. Rows are only ever added, one correction at a time (see
-- CorrectionStore), so ids increase in commit order.
CREATE TABLE price_corrections (
	id bigserial PRIMARY KEY,
	provider text NOT NULL,
	-- The catalog model, as the ledger records it in priced_model (the fallback model's
	-- name for unpriced usage priced by it).
	model text NOT NULL,
	service_tier text NOT NULL,
	context_tier text NOT NULL,
	token_kind text NOT NULL,
	-- The corrected price, USD per million tokens, exact.
	usd_per_mtok numeric NOT NULL CHECK (usd_per_mtok >= 0),
	usage_from timestamptz NOT NULL,
	usage_to timestamptz NOT NULL,
	reason text NOT NULL,
	-- What the ledger adjusted when the correction was stored: the entries (usage and
	-- earlier adjustments) whose quantity was re-priced, the adjustment entries written, the
	-- tenants touched and the net change of their spend (exact).
	entries_adjusted bigint NOT NULL,
	adjustment_entries bigint NOT NULL,
	tenants_affected integer NOT NULL,
	net_amount numeric NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (usage_from < usage_to)
);

-- Set on the adjustment entries a correction wrote, and on usage entries priced at a
-- corrected price (delta arriving after the correction); NULL otherwise.
ALTER TABLE ledger_entries ADD COLUMN correction_id bigint REFERENCES price_corrections (id);

-- A correction reads the ledger entries of its key whose usage_at is in its range, across
-- tenants. Entries are appended roughly in usage order, so a BRIN index narrows that read
-- to the pages of the range at almost no cost to the ledger's inserts (a B-tree on the key
-- would add an index write to every entry).
CREATE INDEX ledger_entries_usage_at_brin ON ledger_entries USING brin (usage_at);
