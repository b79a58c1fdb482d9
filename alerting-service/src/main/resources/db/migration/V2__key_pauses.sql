-- Budgets that have paused their key (api_key_id '') or, for a tenant's budget, every key
-- of the tenant: one row while the pause lasts. The row is what makes alerting publish one
-- pause and one resume per period, however many spend updates repeat the figures.
CREATE TABLE key_pauses (
    tenant_id     text NOT NULL,
    api_key_id    text NOT NULL,
    period_start  timestamptz NOT NULL,
    until         timestamptz NOT NULL,
    control_id    text NOT NULL,
    paused_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, api_key_id)
);
