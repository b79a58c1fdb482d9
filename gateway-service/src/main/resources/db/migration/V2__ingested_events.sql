-- Event ids accepted by the usage ingest API, so that a re-posted event is answered
-- "duplicate" rather than published again. Kept for the metering lateness window (35 days by
-- default); older rows are deleted by IngestedEvents.
CREATE TABLE ingested_events (
    event_id     text        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ingested_events_received_idx ON ingested_events (received_at);
