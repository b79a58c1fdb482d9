-- Budgets: a cap per tenant (api_key_id = '') and optionally per key. The tenant's row also
-- decides the budget period of the tenant and all its keys: its length (month, week or
-- day) and the time zone its calendar is read in. A tenant without a budget row has
-- calendar months in UTC.
CREATE TABLE budgets (
	tenant_id text NOT NULL,
	api_key_id text NOT NULL,
	cap_usd numeric NOT NULL CHECK (cap_usd > 0),
	-- Percent of the cap, increasing, e.g. {50,80,100}.
	alert_thresholds integer[] NOT NULL,
	pause_at_cap boolean NOT NULL,
	-- Only on the tenant's row (NULL on key rows): keys follow their tenant's calendar.
	period text CHECK (period IN ('month', 'week', 'day')),
	time_zone text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, api_key_id),
	CHECK ((api_key_id = '') = (period IS NOT NULL AND time_zone IS NOT NULL))
);

-- The start of the budget period containing an instant, in a time zone's calendar. The
-- ledger (writing period_totals) and every reader use this one definition, so a period is
-- the same instant wherever it is computed.
CREATE FUNCTION budget_period_start(period text, zone text, at timestamptz) RETURNS timestamptz
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN date_trunc(period, at, zone);

CREATE FUNCTION budget_period_end(period text, zone text, at timestamptz) RETURNS timestamptz
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN ((date_trunc(period, at, zone) AT TIME ZONE zone) + ('1 ' || period)::interval) AT TIME ZONE zone;

-- Tenants whose spend changed since the last spend update was published, marked by the
-- ledger in its batch transaction and taken (deleted) by the publisher in the transaction
-- that writes the updates to the outbox: however busy a tenant, it gets at most one
-- update per publishing round, and no change is lost to a crash on either side.
CREATE TABLE spend_dirty (
	tenant_id text PRIMARY KEY,
	marked_at timestamptz NOT NULL DEFAULT now()
);
