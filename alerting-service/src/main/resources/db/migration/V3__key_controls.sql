-- The current key control per record key (api_key_id, or tenant_id/* for every key of a
-- tenant), as alerting last published it to the compacted key-controls topic: what the
-- admin API lists, and what tells a budget's resume not to lift an administrator's pause.
CREATE TABLE key_controls (
    record_key   text PRIMARY KEY,
    control_id   text NOT NULL,
    tenant_id    text NOT NULL,
    api_key_id   text NOT NULL,
    action       text NOT NULL,
    reason       text NOT NULL,
    message      text,
    until        timestamptz,
    decided_at   timestamptz NOT NULL
);
CREATE INDEX key_controls_tenant ON key_controls (tenant_id, decided_at DESC);
