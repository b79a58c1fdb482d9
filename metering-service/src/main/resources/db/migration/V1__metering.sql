-- Metering's own schema. Aggregates, the dedup set, the consumed offsets and the outbox
-- are written in one transaction per consumed batch (docs/adr/0001-metering-exactly-once.md).

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

-- The next offset to consume per consumer group and partition: the source of truth for
-- where metering resumes, committed with the aggregates it produced.
CREATE TABLE consumer_offsets (
	consumer_group text NOT NULL,
	topic text NOT NULL,
	kafka_partition integer NOT NULL,
	next_offset bigint NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (consumer_group, topic, kafka_partition)
);

-- Records to publish (metered-usage deltas and dead letters), written in the same
-- transaction as the aggregates; a relay publishes them and deletes what Kafka acknowledged.
CREATE TABLE outbox (
	id bigserial PRIMARY KEY,
	topic text NOT NULL,
	record_key bytea,
	record_value bytea,
	record_headers bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
