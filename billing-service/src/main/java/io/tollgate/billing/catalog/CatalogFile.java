package io.tollgate.billing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.WireValue;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The seed catalog file ({@code catalog/prices.json}), validated and expanded into
 * explicit price rows, so that the database holds only rows and no rule.
 *
 * <p>
 * Shape: {@code source} and {@code checked_on} (where the prices come from and when they
 * were checked), {@code providers} (per provider its pricing pages, the multiplier of
 * each non-standard service tier, and whether cache writes are priced as input) and
 * {@code models}: per entry a provider, a catalog model, an {@code effective_from} time,
 * its {@code standard}-context prices, optionally {@code long}-context prices, and
 * optionally explicit prices for some tiers ({@code tiers}, and {@code tiers_long} when
 * the model has long-context prices). The same model may appear again with a later
 * {@code effective_from}: a price change.
 *
 * <p>
 * Expansion, for every service tier and context tier of an entry: the standard tier takes
 * the entry's prices of that context (long context falls back to standard context when
 * the model has no long-context prices); another tier takes its explicit prices when the
 * entry gives them, else the standard tier's prices times the provider's multiplier for
 * the tier. Every token kind of every combination thus gets a price.
 *
 * <p>
 * Prices are decimal strings (or JSON numbers, read as exact decimals, never as doubles);
 * anything wrong fails with a message naming the entry and the field.
 *
 * @param checkedOn when the prices were last checked against the providers' pages
 * @param prices every row the file defines
 */
record CatalogFile(LocalDate checkedOn, List<NewPrice> prices) {

	/** Numbers are exact decimals, and a repeated key is an error rather than a guess. */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private static final Set<String> ROOT_FIELDS = Set.of("description", "source", "checked_on", "notes", "providers",
			"models");

	private static final Set<String> PROVIDER_FIELDS = Set.of("pricing_pages", "notes", "tier_multipliers",
			"cache_writes_priced_as_input");

	private static final Set<String> MODEL_FIELDS = Set.of("provider", "model", "effective_from", "note", "standard",
			"long", "tiers", "tiers_long");

	private static final Set<TokenKind> CACHE_WRITES = EnumSet.of(TokenKind.CACHE_WRITE_5M, TokenKind.CACHE_WRITE_1H);

	/** The parser's mapper: exact decimals, strict about duplicates. */
	static JsonMapper json() {
		return JSON;
	}

	/**
	 * Reads and validates a catalog file.
	 * @param in the file's content
	 * @param location the file, for messages
	 * @return the catalog
	 * @throws IllegalStateException naming the entry and field that are wrong
	 */
	static CatalogFile read(InputStream in, String location) {
		JsonNode root;
		try {
			root = JSON.readTree(in);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("price catalog " + location + " is not valid JSON: " + ex.getMessage(), ex);
		}
		return of(root, location);
	}

	/**
	 * Reads and validates a catalog file.
	 * @param resource opens the file
	 * @param location the file, for messages
	 * @return the catalog
	 * @throws IllegalStateException when unreadable or naming the entry and field that
	 * are wrong
	 */
	static CatalogFile read(Opener resource, String location) {
		try (InputStream in = resource.open()) {
			return read(in, location);
		}
		catch (IOException ex) {
			throw new IllegalStateException("price catalog " + location + " could not be read (set "
					+ "TOLLGATE_BILLING_CATALOG to a readable file): " + ex.getMessage(), ex);
		}
	}

	/**
	 * Validates and expands a parsed catalog file.
	 * @param root the parsed file
	 * @param location the file, for messages
	 * @return the catalog
	 * @throws IllegalStateException naming the entry and field that are wrong
	 */
	static CatalogFile of(JsonNode root, String location) {
		return new Parser(location).parse(root);
	}

	/** Opens the catalog file. */
	@FunctionalInterface
	interface Opener {

		InputStream open() throws IOException;

	}

	/** The settings of one provider. */
	private record ProviderRules(Map<ServiceTier, BigDecimal> multipliers, boolean cacheWritesPricedAsInput) {

	}

	private static final class Parser {

		private final String location;

		Parser(String location) {
			this.location = location;
		}

		CatalogFile parse(JsonNode root) {
			if (!root.isObject()) {
				throw fail("the file", "must be a JSON object");
			}
			unknownFields(root, ROOT_FIELDS, "the file");
			text(root, "source", "the file");
			String checkedOnText = text(root, "checked_on", "the file");
			LocalDate checkedOn;
			try {
				checkedOn = LocalDate.parse(checkedOnText);
			}
			catch (DateTimeParseException ex) {
				throw fail("checked_on", "is not a date such as 2026-11-23: \"" + checkedOnText + "\"");
			}
			Map<Provider, ProviderRules> providers = providers(root.path("providers"));
			JsonNode models = root.path("models");
			if (!models.isArray() || models.isEmpty()) {
				throw fail("models", "must be a non-empty array of model entries");
			}
			List<NewPrice> rows = new ArrayList<>();
			Set<String> versions = new HashSet<>();
			for (int i = 0; i < models.size(); i++) {
				model(models.get(i), "models[" + i + "]", providers, versions, rows);
			}
			return new CatalogFile(checkedOn, List.copyOf(rows));
		}

		private Map<Provider, ProviderRules> providers(JsonNode providers) {
			if (!providers.isObject() || providers.isEmpty()) {
				throw fail("providers", "must be an object with the rules of each provider");
			}
			Map<Provider, ProviderRules> rules = new EnumMap<>(Provider.class);
			for (Map.Entry<String, JsonNode> entry : providers.properties()) {
				String where = "providers." + entry.getKey();
				Provider provider = wire(Provider.class, entry.getKey(), where);
				JsonNode node = entry.getValue();
				if (!node.isObject()) {
					throw fail(where, "must be an object");
				}
				unknownFields(node, PROVIDER_FIELDS, where);
				JsonNode tiers = node.path("tier_multipliers");
				if (!tiers.isObject()) {
					throw fail(where + ".tier_multipliers", "must give the multiplier of every non-standard tier ("
							+ nonStandardTiers() + ") on the standard tier's prices");
				}
				Map<ServiceTier, BigDecimal> multipliers = new EnumMap<>(ServiceTier.class);
				for (Map.Entry<String, JsonNode> tier : tiers.properties()) {
					String tierWhere = where + ".tier_multipliers." + tier.getKey();
					ServiceTier serviceTier = wire(ServiceTier.class, tier.getKey(), tierWhere);
					if (serviceTier == ServiceTier.STANDARD) {
						throw fail(tierWhere, "must not be given: the standard tier is the base of the others");
					}
					multipliers.put(serviceTier, decimal(tier.getValue(), tierWhere));
				}
				for (ServiceTier tier : ServiceTier.values()) {
					if (tier != ServiceTier.STANDARD && !multipliers.containsKey(tier)) {
						throw fail(where + ".tier_multipliers", "has no multiplier for " + tier.wire()
								+ " (say \"1\" when the tier costs the same as standard)");
					}
				}
				JsonNode cacheRule = node.path("cache_writes_priced_as_input");
				if (!cacheRule.isBoolean()) {
					throw fail(where + ".cache_writes_priced_as_input",
							"must be true (the provider has no cache-write price) or false");
				}
				rules.put(provider, new ProviderRules(multipliers, cacheRule.booleanValue()));
			}
			return rules;
		}

		private void model(JsonNode entry, String index, Map<Provider, ProviderRules> providers, Set<String> versions,
				List<NewPrice> rows) {
			if (!entry.isObject()) {
				throw fail(index, "must be an object");
			}
			Provider provider = wire(Provider.class, text(entry, "provider", index), index + ".provider");
			String model = text(entry, "model", index);
			String where = index + " (" + provider.wire() + " " + model + ")";
			if (!ModelNames.CATALOG_NAME.matcher(model).matches()) {
				throw fail(where + ".model", "must be a lower-case catalog name such as claude-sonnet-4-5 (letters, "
						+ "digits, '.', '_', ':' and '-'), without a models/ prefix or an @version");
			}
			unknownFields(entry, MODEL_FIELDS, where);
			ProviderRules rules = providers.get(provider);
			if (rules == null) {
				throw fail(where, "has no rules under providers." + provider.wire());
			}
			String effectiveText = text(entry, "effective_from", where);
			Instant effectiveFrom;
			try {
				effectiveFrom = Instant.parse(effectiveText);
			}
			catch (DateTimeParseException ex) {
				throw fail(where + ".effective_from",
						"is not a UTC time such as 2025-09-29T00:00:00Z: \"" + effectiveText + "\"");
			}
			if (!versions.add(provider.wire() + " " + model + " " + effectiveFrom)) {
				throw fail(where, "repeats the entry with effective_from " + effectiveFrom
						+ " (a price change needs a later effective_from)");
			}
			Map<TokenKind, BigDecimal> standard = prices(entry.path("standard"), where + ".standard", rules);
			Map<TokenKind, BigDecimal> longContext = entry.has("long")
					? prices(entry.path("long"), where + ".long", rules) : null;
			Map<ServiceTier, Map<TokenKind, BigDecimal>> explicit = tiers(entry.path("tiers"), where + ".tiers", rules);
			Map<ServiceTier, Map<TokenKind, BigDecimal>> explicitLong = tiers(entry.path("tiers_long"),
					where + ".tiers_long", rules);
			if (longContext == null && !explicitLong.isEmpty()) {
				throw fail(where + ".tiers_long", "is given but the model has no long-context prices (\"long\")");
			}
			for (ServiceTier tier : explicit.keySet()) {
				if (longContext != null && !explicitLong.containsKey(tier)) {
					throw fail(where + ".tiers_long", "has no " + tier.wire() + " prices: a model with long-context "
							+ "prices and explicit " + tier.wire() + " prices needs both");
				}
			}
			for (ServiceTier tier : explicitLong.keySet()) {
				if (!explicit.containsKey(tier)) {
					throw fail(where + ".tiers", "has no " + tier.wire() + " prices, but tiers_long has");
				}
			}
			for (ServiceTier tier : ServiceTier.values()) {
				for (ContextTier context : ContextTier.values()) {
					boolean isLong = context == ContextTier.LONG && longContext != null;
					Map<TokenKind, BigDecimal> base = isLong ? longContext : standard;
					Map<TokenKind, BigDecimal> prices;
					if (tier == ServiceTier.STANDARD) {
						prices = base;
					}
					else if (explicit.containsKey(tier)) {
						prices = isLong ? explicitLong.get(tier) : explicit.get(tier);
					}
					else {
						prices = times(base, rules.multipliers().get(tier));
					}
					prices.forEach((kind, price) -> rows
						.add(new NewPrice(provider, model, tier, context, kind, price, effectiveFrom)));
				}
			}
		}

		private Map<ServiceTier, Map<TokenKind, BigDecimal>> tiers(JsonNode tiers, String where, ProviderRules rules) {
			Map<ServiceTier, Map<TokenKind, BigDecimal>> explicit = new EnumMap<>(ServiceTier.class);
			if (tiers.isMissingNode()) {
				return explicit;
			}
			if (!tiers.isObject()) {
				throw fail(where, "must be an object of service tier to prices");
			}
			for (Map.Entry<String, JsonNode> tier : tiers.properties()) {
				String tierWhere = where + "." + tier.getKey();
				ServiceTier serviceTier = wire(ServiceTier.class, tier.getKey(), tierWhere);
				if (serviceTier == ServiceTier.STANDARD) {
					throw fail(tierWhere, "must not be given: the entry's own prices are the standard tier's");
				}
				explicit.put(serviceTier, prices(tier.getValue(), tierWhere, rules));
			}
			return explicit;
		}

		/**
		 * One complete set of prices: every kind, cache writes derived where the rule
		 * says.
		 */
		private Map<TokenKind, BigDecimal> prices(JsonNode prices, String where, ProviderRules rules) {
			if (!prices.isObject()) {
				throw fail(where, "must be an object of token kind to USD per million tokens");
			}
			Map<TokenKind, BigDecimal> byKind = new EnumMap<>(TokenKind.class);
			for (Map.Entry<String, JsonNode> price : prices.properties()) {
				String kindWhere = where + "." + price.getKey();
				TokenKind kind = wire(TokenKind.class, price.getKey(), kindWhere);
				if (rules.cacheWritesPricedAsInput() && CACHE_WRITES.contains(kind)) {
					throw fail(kindWhere, "must not be given: the provider's cache writes are priced as input "
							+ "(cache_writes_priced_as_input)");
				}
				byKind.put(kind, decimal(price.getValue(), kindWhere));
			}
			if (rules.cacheWritesPricedAsInput() && byKind.containsKey(TokenKind.INPUT)) {
				for (TokenKind kind : CACHE_WRITES) {
					byKind.put(kind, byKind.get(TokenKind.INPUT));
				}
			}
			List<String> missing = new ArrayList<>();
			for (TokenKind kind : TokenKind.values()) {
				if (!byKind.containsKey(kind)) {
					missing.add(kind.wire());
				}
			}
			if (!missing.isEmpty()) {
				throw fail(where, "has no price for " + String.join(", ", missing) + " (every token kind needs one)");
			}
			return byKind;
		}

		private static Map<TokenKind, BigDecimal> times(Map<TokenKind, BigDecimal> prices, BigDecimal multiplier) {
			Map<TokenKind, BigDecimal> result = new EnumMap<>(TokenKind.class);
			prices.forEach((kind, price) -> result.put(kind, normalised(price.multiply(multiplier))));
			return result;
		}

		private BigDecimal decimal(JsonNode value, String where) {
			BigDecimal decimal;
			if (value.isString()) {
				try {
					decimal = new BigDecimal(value.stringValue().strip());
				}
				catch (NumberFormatException ex) {
					throw fail(where, "is not a decimal: \"" + value.stringValue() + "\"");
				}
			}
			else if (value.isBigDecimal() || value.isIntegralNumber()) {
				decimal = value.decimalValue();
			}
			else {
				throw fail(where,
						"must be a decimal such as \"3.75\"" + (value.isMissingNode() ? "" : ", not " + value));
			}
			if (decimal.signum() < 0) {
				throw fail(where, "is negative (" + decimal.toPlainString() + ")");
			}
			return normalised(decimal);
		}

		private String text(JsonNode node, String field, String where) {
			JsonNode value = node.path(field);
			if (!value.isString() || value.stringValue().isBlank()) {
				throw fail(where, "needs \"" + field + "\" (a non-empty string)");
			}
			return value.stringValue().strip();
		}

		private <E extends Enum<E> & WireValue> E wire(Class<E> type, String value, String where) {
			return WireValue.lookup(type, value)
				.orElseThrow(() -> fail(where, "\"" + value + "\" is not one of " + WireValue.spellings(type) + " ("
						+ type.getSimpleName() + ")"));
		}

		private void unknownFields(JsonNode node, Set<String> known, String where) {
			for (String name : node.propertyNames()) {
				if (!known.contains(name)) {
					throw fail(where, "has an unknown field \"" + name + "\" (known: "
							+ String.join(", ", known.stream().sorted().toList()) + ")");
				}
			}
		}

		private IllegalStateException fail(String where, String problem) {
			return new IllegalStateException("price catalog " + this.location + ": " + where + " " + problem);
		}

		private static String nonStandardTiers() {
			return String.join(", ",
					EnumSet.complementOf(EnumSet.of(ServiceTier.STANDARD)).stream().map(ServiceTier::wire).toList());
		}

	}

	/**
	 * A price as stored: without trailing zeros, never in exponent notation.
	 * @param price a price
	 * @return the same value, normalised
	 */
	static BigDecimal normalised(BigDecimal price) {
		BigDecimal stripped = price.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

}
