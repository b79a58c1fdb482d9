-- Billing's own schema: the price catalog. Prices are versioned by effective time and never
-- edited: a change is a new row with a later effective_from; usage is priced with the row in
-- force at its time.
CREATE TABLE prices (
	id bigserial PRIMARY KEY,
	provider text NOT NULL,
	-- The catalog's model name (no snapshot date), e.g. claude-sonnet-4-5.
	model text NOT NULL,
	-- standard, batch, priority or flex: each tier has explicit prices.
	service_tier text NOT NULL,
	-- standard or long (requests above the model's long-context input threshold).
	context_tier text NOT NULL,
	-- input, output, cache_write_5m, cache_write_1h or cache_read.
	token_kind text NOT NULL,
	-- USD per million tokens, exact.
	usd_per_mtok numeric NOT NULL CHECK (usd_per_mtok >= 0),
	effective_from timestamptz NOT NULL,
	-- Where the price came from: the catalog file (name and date) or the admin API.
	source text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (provider, model, service_tier, context_tier, token_kind, effective_from)
);

CREATE INDEX prices_lookup ON prices (provider, model, effective_from);
