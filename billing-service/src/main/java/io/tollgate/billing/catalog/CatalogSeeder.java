package io.tollgate.billing.catalog;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tollgate.billing.config.BillingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Loads the seed catalog file into the {@code prices} table: validated, expanded, and
 * inserted where missing, so restarts and several instances are idempotent and never
 * change a price already stored. Run by {@link PriceBook} as it starts, on the thread
 * that starts the application context: it blocks there, never on an event loop.
 */
@Component
class CatalogSeeder {

	private static final Logger logger = LoggerFactory.getLogger(CatalogSeeder.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** How many differing prices a warning lists; the count covers all. */
	private static final int EXAMPLES = 5;

	private final PriceStore store;

	private final ResourceLoader resources;

	private final String location;

	CatalogSeeder(PriceStore store, ResourceLoader resources, BillingProperties properties) {
		this.store = store;
		this.resources = resources;
		this.location = properties.catalog().location();
	}

	/**
	 * Reads the catalog file and adds the prices the table does not hold yet. Blocks:
	 * meant for start-up.
	 * @return how many rows were added
	 * @throws IllegalStateException when the file is unreadable or invalid, naming the
	 * entry
	 */
	long load() {
		Resource resource = this.resources.getResource(this.location);
		CatalogFile catalog = CatalogFile.read(resource::getInputStream, this.location);
		String source = "catalog:" + Objects.requireNonNullElse(resource.getFilename(), this.location) + "@"
				+ catalog.checkedOn();
		Long added = this.store.insertMissing(catalog.prices(), source).block(TIMEOUT);
		long count = (added != null) ? added : 0;
		logger.info("Price catalog {}: {} prices, {} added", this.location, catalog.prices().size(), count);
		warnAboutDifferences(catalog.prices());
		return count;
	}

	/**
	 * The table wins over the file for a key it already holds: say so when they differ,
	 * so that an edit of the file that changes nothing does not go unnoticed.
	 */
	private void warnAboutDifferences(List<NewPrice> prices) {
		List<PriceRow> stored = this.store.all().collectList().block(TIMEOUT);
		if (stored == null) {
			return;
		}
		Map<String, PriceRow> byKey = new HashMap<>();
		for (PriceRow row : stored) {
			byKey.put(key(row.provider(), row.model(), row.serviceTier(), row.contextTier(), row.tokenKind(),
					row.effectiveFrom().toString()), row);
		}
		int differing = 0;
		StringBuilder examples = new StringBuilder();
		for (NewPrice price : prices) {
			PriceRow row = byKey.get(key(price.provider().wire(), price.model(), price.serviceTier().wire(),
					price.contextTier().wire(), price.tokenKind().wire(), price.effectiveFrom().toString()));
			if (row != null && row.usdPerMtok().compareTo(price.usdPerMtok()) != 0) {
				if (differing++ < EXAMPLES) {
					examples.append(String.format("%n  %s %s %s/%s %s from %s: file %s, table %s (%s)", row.provider(),
							row.model(), row.serviceTier(), row.contextTier(), row.tokenKind(), row.effectiveFrom(),
							price.usdPerMtok().toPlainString(), row.usdPerMtok().toPlainString(), row.source()));
				}
			}
		}
		if (differing > 0) {
			logger.warn("Price catalog {}: {} prices differ from the versions already stored, which stay in force "
					+ "(stored prices are never changed; add a version with POST /admin/v1/prices, or an entry "
					+ "with a later effective_from in the file):{}", this.location, differing, examples);
		}
	}

	private static String key(String provider, String model, String tier, String context, String kind,
			String effectiveFrom) {
		return String.join("|", provider, model, tier, context, kind, effectiveFrom);
	}

}
