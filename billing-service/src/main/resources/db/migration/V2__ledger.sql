-- The cost ledger and what is maintained with it, written in one transaction per consumed
-- batch of metered usage, together with the consumed offsets and the outbox (exactly once,
-- as metering: docs/adr/0001-metering-exactly-once.md; service-support ships those two
-- tables, db/service-support).

-- Deltas already priced: a delta id is priced once, however often it is delivered.
CREATE TABLE priced_deltas (
	delta_id uuid PRIMARY KEY,
	priced_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: rows are never updated or deleted. A wrong price is corrected by adjustment
-- entries that reference the correction, never by rewriting these rows.
CREATE TABLE ledger_entries (
	id bigserial PRIMARY KEY,
	entry_type text NOT NULL CHECK (entry_type IN ('usage', 'adjustment')),
	delta_id uuid,
	tenant_id text NOT NULL,
	api_key_id text NOT NULL,
	provider text NOT NULL,
	-- The model as the provider reported it.
	model text NOT NULL,
	-- The catalog model whose price applied (the fallback's when unpriced).
	priced_model text NOT NULL,
	unpriced boolean NOT NULL,
	service_tier text NOT NULL,
	context_tier text NOT NULL,
	token_kind text NOT NULL,
	-- When the usage happened (the start of its metered bucket): decides the price.
	usage_at timestamptz NOT NULL,
	quantity bigint NOT NULL,
	-- USD per million tokens, and the exact amount quantity x price / 1,000,000. No
	-- rounding: statements round, half-even, to the cent.
	usd_per_mtok numeric NOT NULL,
	amount numeric NOT NULL,
	price_id bigint REFERENCES prices (id),
	recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_tenant_usage ON ledger_entries (tenant_id, usage_at);

-- Spend per tenant and hour, by key, model and token kind, maintained as the ledger grows:
-- the spend API and statements read these rows, never the ledger. model is the catalog
-- model, or the reported one when unpriced (so an unknown model shows by its own name).
CREATE TABLE spend_hour (
	tenant_id text NOT NULL,
	bucket_start timestamptz NOT NULL,
	api_key_id text NOT NULL,
	model text NOT NULL,
	token_kind text NOT NULL,
	usd_per_mtok numeric NOT NULL,
	unpriced boolean NOT NULL,
	quantity bigint NOT NULL,
	amount numeric NOT NULL,
	PRIMARY KEY (tenant_id, bucket_start, api_key_id, model, token_kind, usd_per_mtok, unpriced)
);

-- Period-to-date spend per tenant (api_key_id = '') and per key, maintained with the
-- ledger so reading it never scans anything.
CREATE TABLE period_totals (
	tenant_id text NOT NULL,
	api_key_id text NOT NULL,
	period_start timestamptz NOT NULL,
	amount numeric NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, api_key_id, period_start)
);
