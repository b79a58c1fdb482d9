-- Alerting's own tables; consumer_offsets and outbox come from service-support (V0).

-- Webhook endpoints a tenant registered. Secrets are encrypted (AES-GCM with the
-- service's key), not hashed: signing needs the secret itself.
CREATE TABLE webhook_endpoints (
    endpoint_id        text PRIMARY KEY,
    tenant_id          text NOT NULL,
    url                text NOT NULL,
    description        text NOT NULL DEFAULT '',
    event_types        text[] NOT NULL,
    enabled            boolean NOT NULL,
    secret             bytea NOT NULL,
    previous_secret    bytea,
    previous_until     timestamptz,
    disabled_reason    text,
    failing_since      timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at, endpoint_id);

-- Every alert raised, the tenant's alert history.
CREATE TABLE alerts (
    alert_id     text PRIMARY KEY,
    tenant_id    text NOT NULL,
    api_key_id   text,
    type         text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    data         jsonb NOT NULL
);
CREATE INDEX alerts_tenant_time ON alerts (tenant_id, occurred_at DESC, alert_id DESC);

-- One row per (budget, period, alert) that has fired: the guard that makes each fire once
-- per period. api_key_id is '' for the tenant's own budget; alert is 'threshold:<percent>',
-- 'cap' or 'forecast'. Deleting a row re-arms that alert; a new period has no rows yet.
-- under_since: for the forecast, since when the projection has been under the cap again.
CREATE TABLE budget_alert_state (
    tenant_id     text NOT NULL,
    api_key_id    text NOT NULL,
    period_start  timestamptz NOT NULL,
    alert         text NOT NULL,
    alert_id      text NOT NULL,
    fired_at      timestamptz NOT NULL,
    under_since   timestamptz,
    PRIMARY KEY (tenant_id, api_key_id, period_start, alert)
);

-- The delivery queue: one row per message and endpoint; delivery_id is the webhook-id.
CREATE TABLE deliveries (
    delivery_id      text PRIMARY KEY,
    endpoint_id      text NOT NULL REFERENCES webhook_endpoints (endpoint_id) ON DELETE CASCADE,
    tenant_id        text NOT NULL,
    alert_id         text,
    event_type       text NOT NULL,
    payload          text NOT NULL,
    created_at       timestamptz NOT NULL,
    status           text NOT NULL,            -- pending, delivered, failed
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    locked_until     timestamptz
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, created_at DESC);

-- Every attempt, for the tenant to see what its endpoint answered.
CREATE TABLE delivery_attempts (
    delivery_id       text NOT NULL REFERENCES deliveries (delivery_id) ON DELETE CASCADE,
    attempt           integer NOT NULL,
    attempted_at      timestamptz NOT NULL,
    status_code       integer,
    latency_ms        bigint NOT NULL,
    response_excerpt  text,
    error             text,
    PRIMARY KEY (delivery_id, attempt)
);
