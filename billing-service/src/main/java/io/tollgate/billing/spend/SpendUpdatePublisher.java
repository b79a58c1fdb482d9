package io.tollgate.billing.spend;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.config.BillingProperties;
import io.tollgate.contract.EventIds;
import io.tollgate.contract.SpendUpdate;
import io.tollgate.contract.Topics;
import io.tollgate.support.lifecycle.BackgroundLoop;
import io.tollgate.support.outbox.Outbox;
import io.tollgate.support.outbox.OutboxRecord;
import io.tollgate.support.outbox.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Publishes spend updates to {@link Topics#SPEND}: one per tenant whose spend changed,
 * and one per key of it that has a budget, at most once per round however many batches
 * touched the tenant in between (the coalescing the budget alerts need without flooding
 * the topic).
 *
 * <p>
 * Algorithm, each round ({@code tollgate.billing.spend-updates.interval}, and at once
 * again while tenants are left over): in one transaction, take up to
 * {@code max-tenants-per-round} tenants from {@code spend_dirty} (deleted,
 * {@code SKIP LOCKED}, so instances share the work), read their current figures with
 * {@link SpendStore#current}, and append the updates to the outbox. The ledger marks a
 * tenant in its own batch transaction, so a change is either seen by a round or marked
 * again for the next: nothing is lost to a crash, and the relay publishes at least once.
 *
 * <p>
 * Blocking: each round runs on its own {@code BackgroundLoop} thread and waits for its
 * transaction there, so the next round never overlaps it; no event loop is involved.
 */
@Component
class SpendUpdatePublisher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SpendUpdatePublisher.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final SpendStore store;

	private final Outbox outbox;

	private final OutboxRelay relay;

	private final Clock clock;

	private final Duration interval;

	private final int maxTenants;

	private final URI source;

	private final Counter published;

	private final Counter failures;

	private final BackgroundLoop loop;

	SpendUpdatePublisher(DatabaseClient db, ReactiveTransactionManager transactionManager, SpendStore store,
			Outbox outbox, OutboxRelay relay, Clock clock, BillingProperties properties, MeterRegistry registry) {
		this.db = db;
		this.transactions = TransactionalOperator.create(transactionManager);
		this.store = store;
		this.outbox = outbox;
		this.relay = relay;
		this.clock = clock;
		this.interval = properties.spendUpdates().interval();
		this.maxTenants = properties.spendUpdates().maxTenantsPerRound();
		this.source = properties.cloudEventsSource();
		this.published = Counter.builder("tollgate.billing.spend.updates")
			.description("Spend updates written to the outbox for the spend topic")
			.register(registry);
		this.failures = Counter.builder("tollgate.billing.spend.update.failures")
			.description("Spend update rounds that failed (PostgreSQL unreachable); the tenants stay marked")
			.register(registry);
		// Jitter: a little keeps instances from taking turns in lockstep. A full round
		// means tenants are left over: the next starts at once.
		this.loop = new BackgroundLoop("spend-update-publisher", this.interval, MAX_BACKOFF, true,
				() -> publishRound() >= this.maxTenants, (failedRounds, retryIn, failure) -> {
					this.failures.increment();
					logger.warn("Could not publish spend updates (tenants stay marked; retrying in {}): {}", retryIn,
							failure.toString());
				});
	}

	/**
	 * Runs one round.
	 * @return how many tenants it took
	 */
	int publishRound() {
		Instant now = this.clock.instant();
		Mono<Integer> round = takeDirtyTenants().flatMap((tenants) -> {
			if (tenants.isEmpty()) {
				return Mono.just(0);
			}
			return scopes(tenants).flatMapMany((scopes) -> this.store.current(scopes, now))
				.map(this::update)
				.map((update) -> OutboxRecord.of(Topics.SPEND, update, this.source))
				.collectList()
				.flatMap((records) -> this.outbox.append(records).thenReturn(records.size()))
				.doOnNext(this.published::increment)
				.thenReturn(tenants.size());
		});
		Integer taken = round.as(this.transactions::transactional).block(TIMEOUT);
		if (taken != null && taken > 0) {
			this.relay.wake();
		}
		return (taken != null) ? taken : 0;
	}

	private Mono<List<String>> takeDirtyTenants() {
		return this.db
			.sql("DELETE FROM spend_dirty WHERE tenant_id IN (SELECT tenant_id FROM spend_dirty ORDER BY tenant_id "
					+ "LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING tenant_id")
			.bind("limit", this.maxTenants)
			.map((row) -> row.get(0, String.class))
			.all()
			.sort()
			.collectList();
	}

	/** The tenants themselves, and each of their keys that has a budget. */
	private Mono<List<SpendStore.Scope>> scopes(List<String> tenants) {
		List<SpendStore.Scope> scopes = new ArrayList<>();
		tenants.forEach((tenant) -> scopes.add(new SpendStore.Scope(tenant, "")));
		return this.db
			.sql("SELECT tenant_id, api_key_id FROM budgets WHERE tenant_id = ANY(:tenants::text[]) "
					+ "AND api_key_id <> '' ORDER BY tenant_id, api_key_id")
			.bind("tenants", tenants.toArray(String[]::new))
			.map((row) -> new SpendStore.Scope(row.get(0, String.class), row.get(1, String.class)))
			.all()
			.collectList()
			.map((keys) -> {
				scopes.addAll(keys);
				return scopes;
			});
	}

	private SpendUpdate update(SpendFigures figures) {
		return new SpendUpdate(EventIds.uuidV7(this.clock), figures.tenantId(),
				figures.apiKeyId().isEmpty() ? null : figures.apiKeyId(), figures.periodStart(), figures.periodEnd(),
				SpendUpdate.USD, figures.spendToDate(), figures.cap(), figures.forecast(), figures.asOf(),
				figures.paused(), figures.alertThresholds());
	}

	@Override
	public void start() {
		this.loop.start();
	}

	@Override
	public void stop() {
		this.loop.stop();
	}

	@Override
	public boolean isRunning() {
		return this.loop.isRunning();
	}

	/** Stops after the ledger listener and before the outbox relay. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 500;
	}

}
