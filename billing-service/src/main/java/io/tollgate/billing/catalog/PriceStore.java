package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code prices} table: inserted into, never updated or deleted. Also reads
 * {@code price_corrections} (written by the ledger's {@code CorrectionStore}) for the
 * price book.
 */
@Repository
class PriceStore {

	private static final String COLUMNS = "id, provider, model, service_tier, context_tier, token_kind, usd_per_mtok, "
			+ "effective_from, source";

	/** A row read but not used. */
	private static final Object SKIPPED = new Object();

	private final DatabaseClient db;

	PriceStore(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Adds the rows the table does not hold yet (same key and effective time) in one
	 * statement: a restart, or several instances starting together, add nothing twice and
	 * change nothing already there.
	 * @param rows the rows
	 * @param source where they come from
	 * @return how many were new
	 */
	Mono<Long> insertMissing(List<NewPrice> rows, String source) {
		if (rows.isEmpty()) {
			return Mono.just(0L);
		}
		int size = rows.size();
		String[] providers = new String[size];
		String[] models = new String[size];
		String[] serviceTiers = new String[size];
		String[] contextTiers = new String[size];
		String[] kinds = new String[size];
		String[] prices = new String[size];
		String[] effective = new String[size];
		for (int i = 0; i < size; i++) {
			NewPrice row = rows.get(i);
			providers[i] = row.provider().wire();
			models[i] = row.model();
			serviceTiers[i] = row.serviceTier().wire();
			contextTiers[i] = row.contextTier().wire();
			kinds[i] = row.tokenKind().wire();
			// Text, cast to numeric by PostgreSQL: the exact decimal, no binary detour.
			prices[i] = row.usdPerMtok().toPlainString();
			effective[i] = row.effectiveFrom().toString();
		}
		return this.db.sql("INSERT INTO prices (provider, model, service_tier, context_tier, token_kind, usd_per_mtok, "
				+ "effective_from, source) SELECT p, m, st, ct, k, u, e, :source "
				+ "FROM unnest(:providers::text[], :models::text[], :service_tiers::text[], "
				+ ":context_tiers::text[], :kinds::text[], :prices::text[]::numeric[], "
				+ ":effective::text[]::timestamptz[]) AS x(p, m, st, ct, k, u, e) "
				+ "ON CONFLICT (provider, model, service_tier, context_tier, token_kind, effective_from) DO NOTHING")
			.bind("providers", providers)
			.bind("models", models)
			.bind("service_tiers", serviceTiers)
			.bind("context_tiers", contextTiers)
			.bind("kinds", kinds)
			.bind("prices", prices)
			.bind("effective", effective)
			.bind("source", source)
			.fetch()
			.rowsUpdated();
	}

	/**
	 * Every row.
	 * @return the rows, in no particular order
	 */
	Flux<PriceRow> all() {
		return this.db.sql("SELECT " + COLUMNS + " FROM prices").map(PriceStore::row).all();
	}

	/**
	 * Every price row and every price correction, read by one statement so that the two
	 * are of the same moment: a snapshot holding correction {@code n} holds every price
	 * version committed before it.
	 * @return the rows
	 */
	Mono<Contents> contents() {
		return this.db.sql("SELECT 'p' AS row_type, " + COLUMNS + ", NULL::timestamptz AS usage_to FROM prices "
				+ "UNION ALL SELECT 'c', id, provider, model, service_tier, context_tier, token_kind, usd_per_mtok, "
				+ "usage_from, '', usage_to FROM price_corrections")
			.map((row) -> "c".equals(row.get("row_type", String.class)) ? correction(row) : row(row))
			.all()
			.collectList()
			.map((rows) -> {
				List<PriceRow> prices = new ArrayList<>(rows.size());
				List<PriceCorrection> corrections = new ArrayList<>();
				for (Object row : rows) {
					if (row instanceof PriceCorrection correction) {
						corrections.add(correction);
					}
					else if (row instanceof PriceRow price) {
						prices.add(price);
					}
				}
				return new Contents(prices, corrections);
			});
	}

	/**
	 * Per key (provider, model, tiers, token kind), the row in force at a time.
	 * @param at the time
	 * @param provider only this provider, or all
	 * @param model only this catalog model, or all
	 * @return the rows, in no particular order
	 */
	Flux<PriceRow> inForce(Instant at, @Nullable Provider provider, @Nullable String model) {
		Filter filter = Filter.of(provider, model);
		DatabaseClient.GenericExecuteSpec spec = this.db
			.sql("SELECT DISTINCT ON (provider, model, service_tier, context_tier, token_kind) " + COLUMNS
					+ " FROM prices WHERE effective_from <= :at" + filter.sql()
					+ " ORDER BY provider, model, service_tier, context_tier, token_kind, effective_from DESC")
			.bind("at", utc(at));
		return filter.bind(spec).map(PriceStore::row).all();
	}

	/**
	 * Every version.
	 * @param provider only this provider, or all
	 * @param model only this catalog model, or all
	 * @return the rows, oldest first
	 */
	Flux<PriceRow> history(@Nullable Provider provider, @Nullable String model) {
		Filter filter = Filter.of(provider, model);
		DatabaseClient.GenericExecuteSpec spec = this.db.sql("SELECT " + COLUMNS + " FROM prices WHERE true"
				+ filter.sql() + " ORDER BY effective_from, provider, model, service_tier, context_tier, id");
		return filter.bind(spec).map(PriceStore::row).all();
	}

	/**
	 * The token kinds of a model and tiers that have a price at a time.
	 * @param version the version's key and time
	 * @return the kinds' wire values
	 */
	Mono<List<String>> kindsPricedAt(PriceChange version) {
		return this.db
			.sql("SELECT DISTINCT token_kind FROM prices WHERE provider = :provider AND model = :model "
					+ "AND service_tier = :service_tier AND context_tier = :context_tier "
					+ "AND effective_from <= :effective_from")
			.bind("provider", version.provider().wire())
			.bind("model", version.model())
			.bind("service_tier", version.serviceTier().wire())
			.bind("context_tier", version.contextTier().wire())
			.bind("effective_from", utc(version.effectiveFrom()))
			.map((row) -> row.get("token_kind", String.class))
			.all()
			.collectList();
	}

	/**
	 * Adds a version in one statement, unless the model and tiers already have a version
	 * at that time (a version is never edited).
	 * @param version the version
	 * @param source where it comes from
	 * @return the rows added; none when a version already exists at that time
	 */
	Flux<PriceRow> insertVersion(PriceChange version, String source) {
		List<String> kinds = new ArrayList<>();
		List<String> prices = new ArrayList<>();
		for (Map.Entry<TokenKind, BigDecimal> price : version.prices().entrySet()) {
			kinds.add(price.getKey().wire());
			prices.add(price.getValue().toPlainString());
		}
		return this.db
			.sql("INSERT INTO prices (provider, model, service_tier, context_tier, token_kind, usd_per_mtok, "
					+ "effective_from, source) SELECT :provider, :model, :service_tier, :context_tier, k, u, "
					+ ":effective_from, :source FROM unnest(:kinds::text[], :prices::text[]::numeric[]) AS x(k, u) "
					+ "WHERE NOT EXISTS (SELECT 1 FROM prices WHERE provider = :provider AND model = :model "
					+ "AND service_tier = :service_tier AND context_tier = :context_tier "
					+ "AND effective_from = :effective_from) RETURNING " + COLUMNS)
			.bind("provider", version.provider().wire())
			.bind("model", version.model())
			.bind("service_tier", version.serviceTier().wire())
			.bind("context_tier", version.contextTier().wire())
			.bind("effective_from", utc(version.effectiveFrom()))
			.bind("source", source)
			.bind("kinds", kinds.toArray(String[]::new))
			.bind("prices", prices.toArray(String[]::new))
			.map(PriceStore::row)
			.all();
	}

	private static PriceRow row(Readable row) {
		return new PriceRow(required(row.get("id", Long.class)), required(row.get("provider", String.class)),
				required(row.get("model", String.class)), required(row.get("service_tier", String.class)),
				required(row.get("context_tier", String.class)), required(row.get("token_kind", String.class)),
				required(row.get("usd_per_mtok", BigDecimal.class)),
				required(row.get("effective_from", OffsetDateTime.class)).toInstant(),
				required(row.get("source", String.class)));
	}

	/**
	 * A correction row as the price book applies it; {@link #SKIPPED} for one whose
	 * provider, tiers or kind this build does not know (none can be written through the
	 * API), as {@link PriceSnapshot#of} leaves such price rows out.
	 */
	private static Object correction(Readable row) {
		Provider provider = Provider.fromWire(required(row.get("provider", String.class))).orElse(null);
		ServiceTier tier = ServiceTier.fromWire(required(row.get("service_tier", String.class))).orElse(null);
		ContextTier context = ContextTier.fromWire(required(row.get("context_tier", String.class))).orElse(null);
		TokenKind kind = TokenKind.fromWire(required(row.get("token_kind", String.class))).orElse(null);
		if (provider == null || tier == null || context == null || kind == null) {
			return SKIPPED;
		}
		return new PriceCorrection(required(row.get("id", Long.class)), provider,
				required(row.get("model", String.class)), tier, context, kind,
				required(row.get("usd_per_mtok", BigDecimal.class)),
				required(row.get("effective_from", OffsetDateTime.class)).toInstant(),
				required(row.get("usage_to", OffsetDateTime.class)).toInstant());
	}

	private static <T> T required(@Nullable T value) {
		if (value == null) {
			// Every column of the table is NOT NULL.
			throw new IllegalStateException("prices row with a null column");
		}
		return value;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * What the price book is built from.
	 *
	 * @param prices every price row
	 * @param corrections every price correction
	 */
	record Contents(List<PriceRow> prices, List<PriceCorrection> corrections) {

	}

	/** Optional filters on provider and model. */
	private record Filter(@Nullable Provider provider, @Nullable String model) {

		static Filter of(@Nullable Provider provider, @Nullable String model) {
			return new Filter(provider, model);
		}

		String sql() {
			return ((this.provider != null) ? " AND provider = :provider" : "")
					+ ((this.model != null) ? " AND model = :model" : "");
		}

		DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
			DatabaseClient.GenericExecuteSpec bound = spec;
			if (this.provider != null) {
				bound = bound.bind("provider", this.provider.wire());
			}
			if (this.model != null) {
				bound = bound.bind("model", this.model);
			}
			return bound;
		}

	}

}
