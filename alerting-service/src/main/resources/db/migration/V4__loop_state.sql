-- The runaway-loop detectors' memory per API key (recent calls, last detection), written in
-- the same transaction as the usage topic's offsets: it belongs to the key's partition and
-- survives a restart or a rebalance.
CREATE TABLE loop_state (
    api_key_id  text PRIMARY KEY,
    tenant_id   text NOT NULL,
    state       jsonb NOT NULL,
    updated_at  timestamptz NOT NULL
);
