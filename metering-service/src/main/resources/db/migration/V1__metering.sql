-- Metering's own schema. Aggregates and the dedup set are written in one transaction per
-- consumed batch with the consumed offsets and the outbox, whose tables service-support
-- ships (db/service-support; docs/adr/0001-metering-exactly-once.md).

-- Token aggregates per minute bucket (UTC). The primary key leads with tenant and bucket
-- start, so every usage query is a range scan of one tenant's buckets.
CREATE TABLE usage_minute (
	tenant_id text NOT NULL,
	bucket_start timestamptz NOT NULL,
	api_key_id text NOT NULL,
	provider text NOT NULL,
	model text NOT NULL,
	service_tier text NOT NULL,
	context_tier text NOT NULL,
	requests bigint NOT NULL,
	successes bigint NOT NULL,
	upstream_errors bigint NOT NULL,
	client_aborts bigint NOT NULL,
	input_tokens bigint NOT NULL,
	output_tokens bigint NOT NULL,
	cache_write_5m_tokens bigint NOT NULL,
	cache_write_1h_tokens bigint NOT NULL,
	cache_read_tokens bigint NOT NULL,
	reasoning_tokens bigint NOT NULL,
	server_tool_uses bigint NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, bucket_start, api_key_id, provider, model, service_tier, context_tier)
);

-- Token aggregates per hour bucket (UTC). The primary key leads with tenant and bucket
-- start, so every usage query is a range scan of one tenant's buckets.
CREATE TABLE usage_hour (
	tenant_id text NOT NULL,
	bucket_start timestamptz NOT NULL,
	api_key_id text NOT NULL,
	provider text NOT NULL,
	model text NOT NULL,
	service_tier text NOT NULL,
	context_tier text NOT NULL,
	requests bigint NOT NULL,
	successes bigint NOT NULL,
	upstream_errors bigint NOT NULL,
	client_aborts bigint NOT NULL,
	input_tokens bigint NOT NULL,
	output_tokens bigint NOT NULL,
	cache_write_5m_tokens bigint NOT NULL,
	cache_write_1h_tokens bigint NOT NULL,
	cache_read_tokens bigint NOT NULL,
	reasoning_tokens bigint NOT NULL,
	server_tool_uses bigint NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, bucket_start, api_key_id, provider, model, service_tier, context_tier)
);

-- Token aggregates per day bucket (UTC). The primary key leads with tenant and bucket
-- start, so every usage query is a range scan of one tenant's buckets.
CREATE TABLE usage_day (
	tenant_id text NOT NULL,
	bucket_start timestamptz NOT NULL,
	api_key_id text NOT NULL,
	provider text NOT NULL,
	model text NOT NULL,
	service_tier text NOT NULL,
	context_tier text NOT NULL,
	requests bigint NOT NULL,
	successes bigint NOT NULL,
	upstream_errors bigint NOT NULL,
	client_aborts bigint NOT NULL,
	input_tokens bigint NOT NULL,
	output_tokens bigint NOT NULL,
	cache_write_5m_tokens bigint NOT NULL,
	cache_write_1h_tokens bigint NOT NULL,
	cache_read_tokens bigint NOT NULL,
	reasoning_tokens bigint NOT NULL,
	server_tool_uses bigint NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, bucket_start, api_key_id, provider, model, service_tier, context_tier)
);

-- Retention deletes minute buckets by age alone.
CREATE INDEX usage_minute_bucket_start ON usage_minute USING brin (bucket_start);

-- Event ids already counted, kept while an event with that id could still be accepted
-- (completed_at within the lateness window). BRIN on completed_at: events arrive nearly in
-- time order, so the purge finds old rows without a second B-tree on every insert.
CREATE TABLE seen_events (
	event_id uuid PRIMARY KEY,
	completed_at timestamptz NOT NULL
);
CREATE INDEX seen_events_completed_at ON seen_events USING brin (completed_at);
