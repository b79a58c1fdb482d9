package io.tollgate.billing.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import org.jspecify.annotations.Nullable;

/**
 * An immutable view of the {@code prices} table, indexed for {@link PriceBook#quote}: per
 * provider its catalog models (longest name first, for resolution), and per model,
 * service tier and context tier a timeline of complete price versions. Each version holds
 * every kind's price in force from its time on, so a version that changed only some kinds
 * carries the others forward. Built once per table read; read without locks.
 *
 * <p>
 * The snapshot also holds the price corrections read with the prices (see
 * {@link CorrectionIndex}): a quote of usage inside a correction's range carries the
 * corrected price of that kind.
 */
final class PriceSnapshot {

	static final PriceSnapshot EMPTY = of(List.of());

	/**
	 * Reported names remembered per provider; past this, names are resolved each time.
	 */
	private static final int RESOLUTION_CACHE_LIMIT = 4096;

	private final Map<Provider, List<String>> modelsLongestFirst;

	private final Map<Provider, Map<String, Timeline[]>> timelines;

	private final Map<Provider, Map<String, Optional<String>>> resolved;

	private final int rowCount;

	private final CorrectionIndex corrections;

	private PriceSnapshot(Map<Provider, List<String>> modelsLongestFirst,
			Map<Provider, Map<String, Timeline[]>> timelines, int rowCount, CorrectionIndex corrections) {
		this.modelsLongestFirst = modelsLongestFirst;
		this.timelines = timelines;
		this.rowCount = rowCount;
		this.corrections = corrections;
		this.resolved = new EnumMap<>(Provider.class);
		for (Provider provider : Provider.values()) {
			this.resolved.put(provider, new ConcurrentHashMap<>());
		}
	}

	/**
	 * Indexes price rows. Rows of a provider, tier, context tier or token kind this build
	 * does not know are left out (none can be written through the catalog file or the
	 * admin API).
	 * @param rows every row of the table
	 * @return the snapshot
	 */
	static PriceSnapshot of(Collection<PriceRow> rows) {
		return of(rows, List.of());
	}

	/**
	 * Indexes price rows and corrections.
	 * @param rows every row of {@code prices}
	 * @param corrections every row of {@code price_corrections}, read by the same
	 * statement
	 * @return the snapshot
	 */
	static PriceSnapshot of(Collection<PriceRow> rows, Collection<PriceCorrection> corrections) {
		// provider -> model -> tier/context slot -> kind -> effective_from -> row
		Map<Provider, Map<String, Map<Integer, Map<TokenKind, TreeMap<Instant, PriceRow>>>>> grouped = new EnumMap<>(
				Provider.class);
		int count = 0;
		for (PriceRow row : rows) {
			Provider provider = Provider.fromWire(row.provider()).orElse(null);
			ServiceTier tier = ServiceTier.fromWire(row.serviceTier()).orElse(null);
			ContextTier context = ContextTier.fromWire(row.contextTier()).orElse(null);
			TokenKind kind = TokenKind.fromWire(row.tokenKind()).orElse(null);
			if (provider == null || tier == null || context == null || kind == null) {
				continue;
			}
			grouped.computeIfAbsent(provider, (p) -> new HashMap<>())
				.computeIfAbsent(row.model(), (m) -> new HashMap<>())
				.computeIfAbsent(slot(tier, context), (s) -> new EnumMap<>(TokenKind.class))
				.computeIfAbsent(kind, (k) -> new TreeMap<>())
				.put(row.effectiveFrom(), row);
			count++;
		}
		Map<Provider, List<String>> models = new EnumMap<>(Provider.class);
		Map<Provider, Map<String, Timeline[]>> timelines = new EnumMap<>(Provider.class);
		grouped.forEach((provider, byModel) -> {
			List<String> names = new ArrayList<>(byModel.keySet());
			names.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
			models.put(provider, List.copyOf(names));
			Map<String, Timeline[]> byName = new HashMap<>();
			byModel.forEach((model, bySlot) -> {
				Timeline[] slots = new Timeline[ServiceTier.values().length * ContextTier.values().length];
				bySlot.forEach((slot, byKind) -> slots[slot] = Timeline.of(model, byKind));
				byName.put(model, slots);
			});
			timelines.put(provider, byName);
		});
		return new PriceSnapshot(models, timelines, count, CorrectionIndex.of(corrections));
	}

	int rowCount() {
		return this.rowCount;
	}

	/**
	 * The corrections this snapshot applies.
	 * @return the index
	 */
	CorrectionIndex corrections() {
		return this.corrections;
	}

	/**
	 * The catalog models of a provider.
	 * @param provider the provider
	 * @return the names, longest first
	 */
	List<String> models(Provider provider) {
		return this.modelsLongestFirst.getOrDefault(provider, List.of());
	}

	/**
	 * Resolves a reported model to its catalog model: the longest catalog name that
	 * {@link ModelNames#matches matches} it.
	 * @param provider the provider
	 * @param reported the model as reported
	 * @return the catalog model, {@code null} when none matches
	 */
	@Nullable String resolve(Provider provider, String reported) {
		Map<String, Optional<String>> cache = this.resolved.get(provider);
		Optional<String> known = cache.get(reported);
		if (known == null) {
			known = Optional.ofNullable(resolveUncached(provider, reported));
			if (cache.size() < RESOLUTION_CACHE_LIMIT) {
				cache.put(reported, known);
			}
		}
		return known.orElse(null);
	}

	private @Nullable String resolveUncached(Provider provider, String reported) {
		String normalised = ModelNames.normalise(reported);
		for (String candidate : models(provider)) {
			if (ModelNames.matches(normalised, candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Quotes usage, following the algorithm on {@link PriceBook}.
	 * @param provider the provider
	 * @param reported the model as reported
	 * @param tier the service tier
	 * @param context the context tier
	 * @param at when the usage happened
	 * @param fallbacks per provider, the catalog model that prices unpriced usage
	 * @return the quote
	 */
	Quote quote(Provider provider, String reported, ServiceTier tier, ContextTier context, Instant at,
			Map<Provider, String> fallbacks) {
		return this.corrections.apply(provider, tier, context, at,
				versionQuote(provider, reported, tier, context, at, fallbacks));
	}

	private Quote versionQuote(Provider provider, String reported, ServiceTier tier, ContextTier context, Instant at,
			Map<Provider, String> fallbacks) {
		String model = resolve(provider, reported);
		if (model != null) {
			Version version = version(provider, model, tier, context, at);
			if (version != null) {
				return version.quote();
			}
		}
		String fallback = fallbacks.get(provider);
		String fallbackModel = (fallback != null) ? resolve(provider, fallback) : null;
		if (fallbackModel != null) {
			Version version = version(provider, fallbackModel, tier, context, at);
			if (version != null) {
				return new Quote(fallbackModel, true, version.quote().prices());
			}
		}
		return new Quote(reported, true, Map.of());
	}

	/**
	 * The version in force: long context falls back to standard context when the model
	 * has no long-context price (at that time) in the tier.
	 */
	private @Nullable Version version(Provider provider, String model, ServiceTier tier, ContextTier context,
			Instant at) {
		Timeline[] slots = this.timelines.getOrDefault(provider, Map.of()).get(model);
		if (slots == null) {
			return null;
		}
		Timeline timeline = slots[slot(tier, context)];
		Version version = (timeline != null) ? timeline.at(at) : null;
		if (version == null && context == ContextTier.LONG) {
			Timeline standard = slots[slot(tier, ContextTier.STANDARD)];
			version = (standard != null) ? standard.at(at) : null;
		}
		return version;
	}

	private static int slot(ServiceTier tier, ContextTier context) {
		return tier.ordinal() * ContextTier.values().length + context.ordinal();
	}

	/**
	 * A complete price version.
	 *
	 * @param from from when it applies
	 * @param quote the quote it gives, priced, every kind that has a price by then
	 */
	record Version(Instant from, Quote quote) {

	}

	/**
	 * The versions of one model, tier and context tier, by time.
	 *
	 * @param from the versions' start times, ascending
	 * @param versions the versions, in the same order
	 */
	record Timeline(Instant[] from, Version[] versions) {

		static Timeline of(String model, Map<TokenKind, TreeMap<Instant, PriceRow>> byKind) {
			TreeSet<Instant> times = new TreeSet<>();
			byKind.values().forEach((versions) -> times.addAll(versions.keySet()));
			Instant[] from = times.toArray(Instant[]::new);
			Version[] versions = new Version[from.length];
			for (int i = 0; i < from.length; i++) {
				Map<TokenKind, Quote.Price> prices = new EnumMap<>(TokenKind.class);
				for (Map.Entry<TokenKind, TreeMap<Instant, PriceRow>> kind : byKind.entrySet()) {
					Map.Entry<Instant, PriceRow> row = kind.getValue().floorEntry(from[i]);
					if (row != null) {
						prices.put(kind.getKey(), new Quote.Price(row.getValue().usdPerMtok(), row.getValue().id()));
					}
				}
				versions[i] = new Version(from[i], new Quote(model, false, prices));
			}
			return new Timeline(from, versions);
		}

		@Nullable Version at(Instant at) {
			int index = Arrays.binarySearch(this.from, at);
			int floor = (index >= 0) ? index : -index - 2;
			return (floor >= 0) ? this.versions[floor] : null;
		}

	}

}
