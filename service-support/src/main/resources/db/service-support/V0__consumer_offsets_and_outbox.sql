-- The tables of service-support's exactly-once consumer and outbox, shipped once here for
-- every service that consumes Kafka into PostgreSQL (OutboxAutoConfiguration adds this
-- location to the service's Flyway). Version 0 runs before the service's own migrations.

-- The next offset to consume per consumer group and partition: the source of truth for
-- where a consumer resumes, committed in the same transaction as what it wrote.
CREATE TABLE consumer_offsets (
	consumer_group text NOT NULL,
	topic text NOT NULL,
	kafka_partition integer NOT NULL,
	next_offset bigint NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (consumer_group, topic, kafka_partition)
);

-- Records to publish (deltas, spend updates, dead letters), written in the same
-- transaction as the consumer's own rows; the relay publishes them and deletes what Kafka
-- acknowledged.
CREATE TABLE outbox (
	id bigserial PRIMARY KEY,
	topic text NOT NULL,
	record_key bytea,
	record_value bytea,
	record_headers bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
