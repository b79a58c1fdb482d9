package io.tollgate.gateway.tenant;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.tollgate.gateway.config.GatewayProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Answers "which tenant does this key belong to?" for every proxied call without a
 * database round trip on the hot path.
 *
 * <p>
 * Lookups go through an in-memory cache keyed by the key's SHA-256 digest (never the
 * secret): a known key stays for {@code cacheTtl}, an unknown one for the shorter
 * {@code negativeCacheTtl} so that a newly created key works at once on any instance.
 * Revocation must be prompt on every instance, so each instance LISTENs on the PostgreSQL
 * channel that {@link TenantStore#revokeKey} notifies and evicts the digest it names;
 * when that connection drops, the whole cache is cleared on reconnect, because a
 * revocation may have been missed meanwhile.
 */
@Component
public class KeyDirectory implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(KeyDirectory.class);

	private final TenantStore store;

	private final ConnectionFactory connectionFactory;

	private final AsyncCache<String, Optional<AuthenticatedKey>> cache;

	private volatile @Nullable Disposable listener;

	KeyDirectory(TenantStore store, ConnectionFactory connectionFactory, GatewayProperties properties,
			MeterRegistry meterRegistry) {
		this.store = store;
		this.connectionFactory = connectionFactory;
		GatewayProperties.Keys keys = properties.keys();
		this.cache = Caffeine.newBuilder()
			.maximumSize(keys.cacheMaxSize())
			.expireAfter(new KnownOrUnknown(keys.cacheTtl(), keys.negativeCacheTtl()))
			.recordStats()
			.buildAsync();
		meterRegistry.gauge("tollgate.gateway.key.cache.size", this.cache, (c) -> c.synchronous().estimatedSize());
	}

	/**
	 * Resolves a presented credential to its key, or to empty when it is no active
	 * Tollgate key.
	 * @param credential what the client sent as its API key
	 * @return the key, or empty
	 */
	public Mono<Optional<AuthenticatedKey>> authenticate(String credential) {
		if (!ApiKeys.looksLikeKey(credential)) {
			return Mono.just(Optional.empty());
		}
		byte[] hash = ApiKeys.hash(credential);
		String digest = TenantStore.hex(hash);
		return Mono.fromFuture(() -> this.cache.get(digest,
				(key, executor) -> this.store.findActiveKey(hash)
					.map(Optional::of)
					.defaultIfEmpty(Optional.empty())
					.toFuture()));
	}

	void evict(String digest) {
		this.cache.synchronous().invalidate(digest);
	}

	@Override
	public void start() {
		this.listener = listenForRevocations().subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.listener;
		if (current != null) {
			current.dispose();
		}
		this.listener = null;
	}

	@Override
	public boolean isRunning() {
		return this.listener != null;
	}

	private Flux<String> listenForRevocations() {
		return Flux.usingWhen(Mono.from(this.connectionFactory.create()), this::notifications, Connection::close)
			.doOnNext(this::evict)
			.doOnError((ex) -> logger
				.warn("Lost the key revocation listener ({}); reconnecting. Until then revoked keys may stay cached "
						+ "on this instance for up to the cache TTL.", ex.toString()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(15)))
			.repeat();
	}

	private Flux<String> notifications(Connection connection) {
		PostgresqlConnection postgres = unwrap(connection);
		return postgres.createStatement("LISTEN " + TenantStore.REVOKED_CHANNEL)
			.execute()
			.flatMap((result) -> result.getRowsUpdated())
			.then(Mono.fromRunnable(() -> {
				// Anything revoked while we were not listening must not stay cached.
				this.cache.synchronous().invalidateAll();
				logger.info("Listening for API key revocations");
			}))
			.thenMany(postgres.getNotifications())
			.mapNotNull((notification) -> notification.getParameter());
	}

	private static PostgresqlConnection unwrap(Connection connection) {
		Object candidate = connection;
		while (!(candidate instanceof PostgresqlConnection) && candidate instanceof Wrapped<?> wrapped) {
			candidate = wrapped.unwrap();
		}
		if (candidate instanceof PostgresqlConnection postgres) {
			return postgres;
		}
		throw new IllegalStateException("Key revocation needs a PostgreSQL R2DBC connection, got " + connection);
	}

	private record KnownOrUnknown(Duration known,
			Duration unknown) implements Expiry<String, Optional<AuthenticatedKey>> {

		@Override
		public long expireAfterCreate(String key, Optional<AuthenticatedKey> value, long currentTime) {
			return (value.isPresent() ? this.known : this.unknown).toNanos();
		}

		@Override
		public long expireAfterUpdate(String key, Optional<AuthenticatedKey> value, long currentTime,
				long currentDuration) {
			return expireAfterCreate(key, value, currentTime);
		}

		@Override
		public long expireAfterRead(String key, Optional<AuthenticatedKey> value, long currentTime,
				long currentDuration) {
			return currentDuration;
		}

	}

}
