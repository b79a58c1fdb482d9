package io.tollgate.metering.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.tollgate.metering.MeteringIntegrationTest;
import io.tollgate.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

@MeteringIntegrationTest
class RetentionIntegrationTests {

	private static final Instant NOW = TestClock.shared().instant().truncatedTo(ChronoUnit.MINUTES);

	@Autowired
	private Retention retention;

	@Autowired
	private DatabaseClient db;

	@Test
	void deletesExpiredMinuteBucketsAndKeepsHoursAndDays() {
		String tenant = "retention-" + UUID.randomUUID();
		Instant expired = NOW.minus(Duration.ofDays(15));
		Instant kept = NOW.minus(Duration.ofDays(13));
		insert("usage_minute", tenant, expired);
		insert("usage_minute", tenant, kept);
		insert("usage_hour", tenant, expired.truncatedTo(ChronoUnit.HOURS));
		insert("usage_day", tenant, expired.truncatedTo(ChronoUnit.DAYS));

		this.retention.purge();

		assertThat(buckets("usage_minute", tenant)).isEqualTo(1);
		assertThat(buckets("usage_hour", tenant)).isEqualTo(1);
		assertThat(buckets("usage_day", tenant)).isEqualTo(1);
	}

	@Test
	void forgetsEventIdsOnlyOnceTheyAreOlderThanTheLatenessWindow() {
		String old = UUID.randomUUID().toString();
		String recent = UUID.randomUUID().toString();
		seen(old, NOW.minus(Duration.ofDays(37)));
		seen(recent, NOW.minus(Duration.ofDays(35)));

		this.retention.purge();

		assertThat(isSeen(old)).isFalse();
		assertThat(isSeen(recent)).as("still inside lateness + one day of margin").isTrue();
	}

	@Test
	void deletesInChunksUntilNothingExpiredIsLeft() {
		String tenant = "retention-chunks-" + UUID.randomUUID();
		for (int i = 0; i < 5; i++) {
			insert("usage_minute", tenant, NOW.minus(Duration.ofDays(20)).plusSeconds(60L * i));
		}
		long deleted = this.retention.purge("usage_minute", "bucket_start", NOW.minus(Duration.ofDays(14)), 2);
		assertThat(deleted).isGreaterThanOrEqualTo(5);
		assertThat(buckets("usage_minute", tenant)).isZero();
	}

	private void insert(String table, String tenant, Instant bucket) {
		this.db.sql("INSERT INTO " + table + " (tenant_id, bucket_start, api_key_id, provider, model, service_tier, "
				+ "context_tier, requests, successes, upstream_errors, client_aborts, input_tokens, output_tokens, "
				+ "cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, reasoning_tokens, server_tool_uses) "
				+ "VALUES (:tenant, :bucket, 'k', 'anthropic', 'm', 'standard', 'standard', 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0)")
			.bind("tenant", tenant)
			.bind("bucket", OffsetDateTime.ofInstant(bucket, ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
	}

	private long buckets(String table, String tenant) {
		Long count = this.db.sql("SELECT count(*) FROM " + table + " WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(10));
		return (count != null) ? count : -1;
	}

	private void seen(String id, Instant completedAt) {
		this.db.sql("INSERT INTO seen_events (event_id, completed_at) VALUES (:id::uuid, :at)")
			.bind("id", id)
			.bind("at", OffsetDateTime.ofInstant(completedAt, ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
	}

	private boolean isSeen(String id) {
		Long count = this.db.sql("SELECT count(*) FROM seen_events WHERE event_id = :id::uuid")
			.bind("id", id)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(10));
		return count != null && count > 0;
	}

}
