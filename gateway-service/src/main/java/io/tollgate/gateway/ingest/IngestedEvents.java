package io.tollgate.gateway.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * The ids of events the ingest API has published, one batched statement per request.
 */
@Repository
class IngestedEvents {

	private static final Logger logger = LoggerFactory.getLogger(IngestedEvents.class);

	private static final Duration RETENTION = Duration.ofDays(35);

	private final DatabaseClient db;

	private final Clock clock;

	IngestedEvents(DatabaseClient db, Clock clock) {
		this.db = db;
		this.clock = clock;
	}

	Mono<Set<String>> known(Collection<String> eventIds) {
		if (eventIds.isEmpty()) {
			return Mono.just(Set.of());
		}
		return this.db.sql("SELECT event_id FROM ingested_events WHERE event_id = ANY(:ids)")
			.bind("ids", eventIds.toArray(String[]::new))
			.map((row) -> row.get(0, String.class))
			.all()
			.collect(Collectors.toSet());
	}

	Mono<Long> remember(String tenantId, Collection<String> eventIds) {
		if (eventIds.isEmpty()) {
			return Mono.just(0L);
		}
		return this.db
			.sql("INSERT INTO ingested_events (event_id, tenant_id, received_at) "
					+ "SELECT unnest(:ids::text[]), :tenant, :now ON CONFLICT (event_id) DO NOTHING")
			.bind("ids", eventIds.toArray(String[]::new))
			.bind("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.bind("tenant", tenantId)
			.fetch()
			.rowsUpdated();
	}

	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
	void forgetOld() {
		this.db.sql("DELETE FROM ingested_events WHERE received_at < :cutoff")
			.bind("cutoff", OffsetDateTime.ofInstant(this.clock.instant().minus(RETENTION), ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.subscribe((deleted) -> logger.debug("Forgot {} ingested event ids", deleted),
					(ex) -> logger.warn("Could not delete old ingested event ids: {}", ex.toString()));
	}

}
