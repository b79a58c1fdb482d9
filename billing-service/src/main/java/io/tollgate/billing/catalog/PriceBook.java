package io.tollgate.billing.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.config.BillingProperties;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.WireValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The prices in force, in memory, for the ledger to price usage with.
 *
 * <p>
 * Lookup ({@link #quote}):
 * <ol>
 * <li>The reported model is normalised (lower case, no Gemini {@code models/} prefix, no
 * Vertex {@code @version} suffix) and resolved to the longest catalog model of its
 * provider that equals it or that it extends with {@code -} and a snapshot suffix:
 * {@code claude-sonnet-4-5-20250929} finds {@code claude-sonnet-4-5},
 * {@code gpt-4o-mini-2024-07-18} finds {@code gpt-4o-mini} and not {@code gpt-4o}. A
 * suffix starting with a one- or two-digit number is a newer version
 * ({@code claude-opus-4-6}), which matches nothing (see {@link ModelNames}).</li>
 * <li>For the model, service tier and context tier, the version in force at the usage
 * time is the one with the greatest {@code effective_from} not after it; a version that
 * changed only some token kinds keeps the others' earlier prices. Long context without a
 * long-context price in force uses the standard-context price.</li>
 * <li>A model that resolves to nothing, or has no price in force at that time (usage
 * before its first price, a tier without prices), is <em>unpriced</em>: it is priced as
 * the provider's fallback model ({@code tollgate.billing.catalog.fallback-models}), or at
 * zero when no fallback applies, and always flagged, counted in
 * {@code tollgate.billing.unpriced} (tagged by provider) and logged at WARN once per
 * model and hour.</li>
 * </ol>
 *
 * <p>
 * Lifecycle: on start (before the web server and the Kafka listeners, so nothing is
 * priced or listed against an empty book) the seed catalog is loaded and the table read.
 * The table is read again every minute, so that instances converge on versions another
 * instance added, and at once after a version is added here. Each read builds an
 * immutable {@link PriceSnapshot}; lookups read the current one without locks.
 *
 * <p>
 * Corrections: each read also takes the price corrections ({@link PriceCorrection}), in
 * the same statement, and quotes apply them. A correction is stored by one instance, but
 * every instance must price with it from its commit on, not a minute later: the ledger's
 * batch transaction reads the latest correction id under a lock the correction holds
 * while it is stored, and calls {@link #catchUp} with it before pricing, which reads the
 * table again when this book is older (see the ledger's {@code PricingLock}).
 *
 * <p>
 * Blocking: {@link #start} waits for the first read on the thread that starts the
 * application context, before any event loop serves a request; lookups never block.
 */
@Component
public class PriceBook implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PriceBook.class);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final long WARN_INTERVAL_MILLIS = TimeUnit.HOURS.toMillis(1);

	/** Past this many distinct unknown names, the hourly log memory starts over. */
	private static final int WARNED_LIMIT = 10_000;

	private final PriceStore store;

	private final CatalogSeeder seeder;

	private final Clock clock;

	private final Map<Provider, String> fallbacks;

	private final Map<Provider, Counter> unpriced;

	private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

	/** Numbers table reads, so that a slow read never replaces a newer one's result. */
	private final AtomicLong reads = new AtomicLong();

	private final AtomicReference<Loaded> loaded = new AtomicReference<>(new Loaded(0, PriceSnapshot.EMPTY));

	private volatile boolean running;

	PriceBook(PriceStore store, CatalogSeeder seeder, BillingProperties properties, MeterRegistry registry,
			Clock clock) {
		this.store = store;
		this.seeder = seeder;
		this.clock = clock;
		this.fallbacks = fallbacks(properties.catalog().fallbackModels());
		this.unpriced = new EnumMap<>(Provider.class);
		for (Provider provider : Provider.values()) {
			this.unpriced.put(provider,
					Counter.builder("tollgate.billing.unpriced")
						.description("Usage quotes for a model without a price of its own at the usage time, "
								+ "priced by the fallback model or at zero and flagged unpriced")
						.tag("provider", provider.wire())
						.register(registry));
		}
	}

	private static Map<Provider, String> fallbacks(Map<String, String> configured) {
		Map<Provider, String> fallbacks = new EnumMap<>(Provider.class);
		configured.forEach((provider, model) -> {
			Provider known = Provider.fromWire(provider)
				.orElseThrow(() -> new IllegalStateException("tollgate.billing.catalog.fallback-models names '"
						+ provider + "', not one of " + WireValue.spellings(Provider.class)));
			// Blank (an empty environment variable): no fallback, unknown models at zero.
			if (!model.isBlank()) {
				fallbacks.put(known, model.strip());
			}
		});
		return fallbacks;
	}

	/**
	 * The prices of a model's usage at a time, per token kind with the id of the price
	 * version, following the lookup described on this class.
	 * @param provider the provider
	 * @param reportedModel the model as the provider reported it
	 * @param tier the service tier
	 * @param contextTier the context tier
	 * @param at when the usage happened
	 * @return the quote; {@link Quote#unpriced()} when the model had no price of its own
	 */
	public Quote quote(Provider provider, String reportedModel, ServiceTier tier, ContextTier contextTier, Instant at) {
		Quote quote = snapshot().quote(provider, reportedModel, tier, contextTier, at, this.fallbacks);
		if (quote.unpriced()) {
			this.unpriced.get(provider).increment();
			warnUnpriced(provider, reportedModel, quote);
		}
		return quote;
	}

	/**
	 * The catalog model a reported model resolves to, whether or not it has a price at a
	 * given time.
	 * @param provider the provider
	 * @param reportedModel the model as reported
	 * @return the catalog model, empty when the catalog has none for it
	 */
	public Optional<String> catalogModel(Provider provider, String reportedModel) {
		return Optional.ofNullable(snapshot().resolve(provider, reportedModel));
	}

	/**
	 * Whether a name is one of a provider's catalog models (exactly, not a snapshot name
	 * that resolves to one).
	 * @param provider the provider
	 * @param model the name
	 * @return whether the catalog has it
	 */
	public boolean hasModel(Provider provider, String model) {
		return snapshot().models(provider).contains(model);
	}

	/**
	 * Reads the table again, for a caller that has just added prices.
	 * @return completes once later quotes see the table as read now
	 */
	public Mono<Void> refresh() {
		long read = this.reads.incrementAndGet();
		return this.store.contents()
			.map((contents) -> PriceSnapshot.of(contents.prices(), contents.corrections()))
			.doOnNext((snapshot) -> this.loaded.accumulateAndGet(new Loaded(read, snapshot), Loaded::newer))
			.then();
	}

	/**
	 * Makes sure later quotes apply every correction up to an id, reading the table again
	 * when they would not. Subscribed inside a transaction, the read runs on that
	 * transaction's connection (no second connection is taken from the pool).
	 * @param correctionId the greatest correction id committed, read under the lock that
	 * keeps corrections from committing meanwhile
	 * @return completes once quotes apply that correction; an error when the table read
	 * does not hold it yet (the caller retries)
	 */
	public Mono<Void> catchUp(long correctionId) {
		if (correctionWatermark() >= correctionId) {
			return Mono.empty();
		}
		return refresh().then(Mono.defer(() -> (correctionWatermark() >= correctionId) ? Mono.empty()
				: Mono.error(new IllegalStateException("the prices read again do not hold price correction "
						+ correctionId + " yet (read " + correctionWatermark() + ")"))));
	}

	/**
	 * The greatest correction id the quotes apply.
	 * @return the id, 0 when none
	 */
	public long correctionWatermark() {
		return snapshot().corrections().watermark();
	}

	/** Converges on versions other instances added. */
	@Scheduled(fixedDelay = 60, initialDelay = 60, timeUnit = TimeUnit.SECONDS)
	void refreshPeriodically() {
		refresh().subscribe(null, (ex) -> logger
			.warn("Could not read the prices again; pricing continues with those read before: {}", ex.toString()));
	}

	PriceSnapshot snapshot() {
		return this.loaded.get().snapshot();
	}

	private void warnUnpriced(Provider provider, String reportedModel, Quote quote) {
		long now = this.clock.millis();
		String key = provider.wire() + "/" + reportedModel;
		Long last = this.lastWarned.get(key);
		if (last != null && now - last < WARN_INTERVAL_MILLIS) {
			return;
		}
		if (this.lastWarned.size() >= WARNED_LIMIT) {
			this.lastWarned.clear();
		}
		// Only the thread that moves the time on logs, so a busy model logs once.
		boolean mine = (last == null) ? this.lastWarned.putIfAbsent(key, now) == null
				: this.lastWarned.replace(key, last, now);
		if (mine) {
			String model = reportedModel.replaceAll("\\p{Cntrl}", "?");
			if (quote.prices().isEmpty()) {
				logger.warn("No price for {} model '{}' and no fallback price: priced at zero and flagged unpriced "
						+ "(add it with POST /admin/v1/prices; logged once an hour)", provider.wire(), model);
			}
			else {
				logger.warn(
						"No price for {} model '{}': priced as {} and flagged unpriced (add it with "
								+ "POST /admin/v1/prices; logged once an hour)",
						provider.wire(), model, quote.pricedModel());
			}
		}
	}

	@Override
	public void start() {
		this.seeder.load();
		refresh().block(START_TIMEOUT);
		PriceSnapshot snapshot = snapshot();
		this.fallbacks.forEach((provider, model) -> {
			if (snapshot.resolve(provider, model) == null) {
				throw new IllegalStateException("tollgate.billing.catalog.fallback-models." + provider.wire() + " is '"
						+ model + "', which is not in the price catalog: unknown " + provider.wire()
						+ " models would be priced at zero (name a catalog model, or set it empty to mean that)");
			}
		});
		logger.info("Price book ready: {} prices of {} models, {} price corrections", snapshot.rowCount(),
				countModels(snapshot), snapshot.corrections().size());
		this.running = true;
	}

	private static int countModels(PriceSnapshot snapshot) {
		int models = 0;
		for (Provider provider : Provider.values()) {
			models += snapshot.models(provider).size();
		}
		return models;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Before the web server (phase {@code DEFAULT_PHASE - 1024}) and the Kafka listener
	 * containers, which read the book.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	/**
	 * A snapshot and the number of the read it came from.
	 *
	 * @param read the read's number
	 * @param snapshot the snapshot
	 */
	private record Loaded(long read, PriceSnapshot snapshot) {

		/**
		 * Which of two reads to keep: the one holding more corrections (its statement ran
		 * after the other's, so its prices are as new), else the later read, so that a
		 * slow read never replaces a newer one's result and quotes never lose a
		 * correction.
		 */
		static Loaded newer(Loaded current, Loaded candidate) {
			long have = current.snapshot().corrections().watermark();
			long offered = candidate.snapshot().corrections().watermark();
			if (offered != have) {
				return (offered > have) ? candidate : current;
			}
			return (candidate.read() > current.read()) ? candidate : current;
		}

	}

}
