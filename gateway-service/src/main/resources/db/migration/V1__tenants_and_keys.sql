-- Tenants and their Tollgate API keys. A key's secret is never stored: only its SHA-256 digest
-- (keys carry 256 random bits, so a fast digest is as safe as a slow one here and keeps the
-- uncached lookup cheap) and a short prefix that lets people recognise a key in listings.
CREATE TABLE tenants (
    id          text PRIMARY KEY,
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    tenant_id    text        NOT NULL REFERENCES tenants (id),
    name         text        NOT NULL,
    prefix       text        NOT NULL,
    secret_hash  bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);
