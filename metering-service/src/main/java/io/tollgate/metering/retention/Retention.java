package io.tollgate.metering.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.tollgate.metering.config.MeteringProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes minute buckets older than their retention, and dedup entries older than the
 * lateness window (plus a day of margin): an event that old is refused as too late before
 * its id is looked up, so forgetting the id cannot let it count twice. Hour and day
 * buckets are kept.
 *
 * <p>
 * Deletes go in chunks of {@code purge-chunk} rows, each its own short transaction, so a
 * large backlog never holds locks the aggregation path waits on. Each chunk is awaited on
 * the scheduler's thread (blocking there on purpose: the next chunk starts after the
 * previous one committed); no event loop is involved.
 */
@Component
class Retention {

	private static final Logger logger = LoggerFactory.getLogger(Retention.class);

	private static final Duration DEDUP_MARGIN = Duration.ofDays(1);

	private final DatabaseClient db;

	private final Clock clock;

	private final MeteringProperties properties;

	Retention(DatabaseClient db, Clock clock, MeteringProperties properties) {
		this.db = db;
		this.clock = clock;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${tollgate.metering.retention.purge-interval:10m}",
			initialDelayString = "${tollgate.metering.retention.purge-interval:10m}")
	void purge() {
		try {
			Instant now = this.clock.instant();
			long minutes = purge("usage_minute", "bucket_start",
					now.minus(this.properties.retention().minuteBuckets()));
			long seen = purge("seen_events", "completed_at",
					now.minus(this.properties.aggregation().lateness()).minus(DEDUP_MARGIN));
			if (minutes + seen > 0) {
				logger.info("Retention deleted {} minute buckets and {} dedup entries", minutes, seen);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Retention purge failed, next attempt at the next interval: {}", ex.toString());
		}
	}

	long purge(String table, String column, Instant cutoff) {
		return purge(table, column, cutoff, this.properties.retention().purgeChunk());
	}

	/** Deletes rows older than the cutoff, chunk by chunk; returns how many. */
	long purge(String table, String column, Instant cutoff, int chunk) {
		String sql = "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table + " WHERE " + column
				+ " < :cutoff LIMIT :chunk))";
		long total = 0;
		while (true) {
			Long deleted = this.db.sql(sql)
				.bind("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
				.bind("chunk", chunk)
				.fetch()
				.rowsUpdated()
				.block(Duration.ofMinutes(2));
			long count = (deleted != null) ? deleted : 0;
			total += count;
			if (count < chunk) {
				return total;
			}
		}
	}

}
