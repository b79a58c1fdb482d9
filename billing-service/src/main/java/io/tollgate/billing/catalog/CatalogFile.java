package io.tollgate.billing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.billing.config.RequestBodies;
import io.tollgate.billing.config.RequestBodies.Refuser;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

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
 * Prices are decimal strings (or JSON numbers, read as exact decimals, never as doubles).
 * The file is bound with {@link RequestBodies}, as request bodies are; anything wrong
 * fails with a message naming the entry and the field.
 *
 * @param checkedOn when the prices were last checked against the providers' pages
 * @param prices every row the file defines
 */
record CatalogFile(LocalDate checkedOn, List<NewPrice> prices) {

	private static final Set<TokenKind> CACHE_WRITES = EnumSet.of(TokenKind.CACHE_WRITE_5M, TokenKind.CACHE_WRITE_1H);

	private static final String PRICES = "must be an object of token kind to USD per million tokens";

	/**
	 * Reads and validates a catalog file.
	 * @param in the file's content
	 * @param location the file, for messages
	 * @return the catalog
	 * @throws IOException when it cannot be read
	 * @throws IllegalStateException naming the entry and field that are wrong
	 */
	static CatalogFile read(InputStream in, String location) throws IOException {
		Refuser refuser = (param, where, problem) -> new IllegalStateException(
				"price catalog " + location + ": " + (where.isEmpty() ? "the file" : where) + " " + problem);
		String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		Json file = RequestBodies.bind(RequestBodies.read(json, refuser), Json.class, refuser);
		file.providers().forEach((provider, rules) -> rules.check(refuser.under("providers." + provider.wire())));
		List<NewPrice> rows = new ArrayList<>();
		Set<String> versions = new HashSet<>();
		for (int i = 0; i < file.models().size(); i++) {
			JsonNode node = file.models().get(i);
			Refuser entry = refuser.under("models[" + i + "]" + label(node));
			RequestBodies.bind(node, Entry.class, entry).expand(file.providers(), versions, entry, rows);
		}
		return new CatalogFile(file.checkedOn(), List.copyOf(rows));
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
	 * A price as stored: without trailing zeros, never in exponent notation.
	 * @param price a price
	 * @return the same value, normalised
	 */
	static BigDecimal normalised(BigDecimal price) {
		BigDecimal stripped = price.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

	/**
	 * How messages name an entry once its provider and model are readable:
	 * {@code (openai gpt-5)}.
	 */
	private static String label(JsonNode entry) {
		JsonNode provider = entry.path("provider");
		JsonNode model = entry.path("model");
		boolean named = provider.isString() && Provider.fromWire(provider.stringValue().strip()).isPresent()
				&& model.isString() && !model.stringValue().isBlank();
		return named ? " (" + provider.stringValue().strip() + " " + model.stringValue().strip() + ")" : "";
	}

	/** Opens the catalog file. */
	@FunctionalInterface
	interface Opener {

		InputStream open() throws IOException;

	}

	/**
	 * The file; its description and notes are for people, and each entry is bound on its
	 * own.
	 */
	@JsonIgnoreProperties({ "description", "notes" })
	private record Json(@NotBlank(message = PriceChange.REQUIRED) String source,
			@JsonProperty("checked_on") @NotNull(
					message = "is required (a date such as 2026-11-23)") LocalDate checkedOn,
			@NotEmpty(message = "must be an object with the rules of each provider") Map<Provider, @NotNull(
					message = "must be a JSON object") Rules> providers,
			@NotEmpty(message = "must be a non-empty array of model entries") List<JsonNode> models) {

	}

	/** The rules of one provider; its pricing pages and notes are for people. */
	@JsonIgnoreProperties({ "pricing_pages", "notes" })
	private record Rules(@JsonProperty("tier_multipliers") @NotNull(
			message = "must give the multiplier of every non-standard tier (batch, priority, flex) on the standard "
					+ "tier's prices") Map<ServiceTier, @Price BigDecimal> multipliers,
			@JsonProperty("cache_writes_priced_as_input") @NotNull(
					message = "must be true (the provider has no cache-write price) or false") Boolean cacheWritesPricedAsInput) {

		void check(Refuser refuser) {
			RequestBodies.check(this, refuser);
			if (this.multipliers.containsKey(ServiceTier.STANDARD)) {
				throw refuser.refuse("tier_multipliers.standard",
						"must not be given: the standard tier is the base of the others");
			}
			for (ServiceTier tier : ServiceTier.values()) {
				if (tier != ServiceTier.STANDARD && !this.multipliers.containsKey(tier)) {
					throw refuser.refuse("tier_multipliers", "has no multiplier for " + tier.wire()
							+ " (say \"1\" when the tier costs the same as standard)");
				}
			}
		}

		/**
		 * One complete set of prices: every kind, cache writes derived where the rule
		 * says.
		 */
		Map<TokenKind, BigDecimal> complete(Map<TokenKind, BigDecimal> prices, Refuser refuser) {
			Map<TokenKind, BigDecimal> byKind = new EnumMap<>(TokenKind.class);
			byKind.putAll(prices);
			for (TokenKind kind : this.cacheWritesPricedAsInput ? CACHE_WRITES : Set.<TokenKind>of()) {
				if (byKind.containsKey(kind)) {
					throw refuser.refuse(kind.wire(), "must not be given: the provider's cache writes are priced as "
							+ "input (cache_writes_priced_as_input)");
				}
				if (byKind.containsKey(TokenKind.INPUT)) {
					byKind.put(kind, byKind.get(TokenKind.INPUT));
				}
			}
			List<String> missing = Arrays.stream(TokenKind.values())
				.filter((kind) -> !byKind.containsKey(kind))
				.map(TokenKind::wire)
				.toList();
			if (!missing.isEmpty()) {
				throw refuser.refuse("",
						"has no price for " + String.join(", ", missing) + " (every token kind needs one)");
			}
			return byKind;
		}

	}

	/**
	 * One entry of {@code models}: a model's prices from a time on; its note is for
	 * people.
	 */
	@JsonIgnoreProperties("note")
	private record Entry(@NotNull(message = PriceChange.REQUIRED) Provider provider,
			@NotBlank(message = PriceChange.REQUIRED) @Pattern(regexp = ModelNames.CATALOG_NAME,
					message = "must be a lower-case catalog name such as claude-sonnet-4-5 (letters, digits, '.', "
							+ "'_', ':' and '-'), without a models/ prefix or an @version") String model,
			@JsonProperty("effective_from") @NotNull(message = PriceChange.REQUIRED) Instant effectiveFrom,
			@NotNull(message = PRICES) Map<TokenKind, @Price BigDecimal> standard,
			@JsonProperty("long") @Nullable Map<TokenKind, @Price BigDecimal> longContext,
			@Nullable Map<ServiceTier, @NotNull(message = PRICES) Map<TokenKind, @Price BigDecimal>> tiers,
			@JsonProperty("tiers_long") @Nullable Map<ServiceTier, @NotNull(
					message = PRICES) Map<TokenKind, @Price BigDecimal>> tiersLong) {

		/** Stripped; null where missing, until validation refuses it. */
		Entry {
			model = PriceChange.strip(model);
		}

		/** Adds the entry's rows: every tier, context and kind. */
		void expand(Map<Provider, Rules> providers, Set<String> versions, Refuser refuser, List<NewPrice> rows) {
			Rules rules = providers.get(this.provider);
			if (rules == null) {
				throw refuser.refuse("", "has no rules under providers." + this.provider.wire());
			}
			if (!versions.add(this.provider.wire() + " " + this.model + " " + this.effectiveFrom)) {
				throw refuser.refuse("", "repeats the entry with effective_from " + this.effectiveFrom
						+ " (a price change needs a later effective_from)");
			}
			Map<TokenKind, BigDecimal> standard = rules.complete(this.standard, refuser.under("standard"));
			Map<TokenKind, BigDecimal> longContext = (this.longContext != null)
					? rules.complete(this.longContext, refuser.under("long")) : null;
			Map<ServiceTier, Map<TokenKind, BigDecimal>> explicit = tiers(this.tiers, "tiers", rules, refuser);
			Map<ServiceTier, Map<TokenKind, BigDecimal>> explicitLong = tiers(this.tiersLong, "tiers_long", rules,
					refuser);
			if (longContext == null && !explicitLong.isEmpty()) {
				throw refuser.refuse("tiers_long", "is given but the model has no long-context prices (\"long\")");
			}
			for (ServiceTier tier : ServiceTier.values()) {
				if (longContext != null && explicit.containsKey(tier) && !explicitLong.containsKey(tier)) {
					throw refuser.refuse("tiers_long", "has no " + tier.wire() + " prices: a model with "
							+ "long-context prices and explicit " + tier.wire() + " prices needs both");
				}
				if (explicitLong.containsKey(tier) && !explicit.containsKey(tier)) {
					throw refuser.refuse("tiers", "has no " + tier.wire() + " prices, but tiers_long has");
				}
			}
			for (ServiceTier tier : ServiceTier.values()) {
				for (ContextTier context : ContextTier.values()) {
					boolean isLong = context == ContextTier.LONG && longContext != null;
					Map<TokenKind, BigDecimal> base = isLong ? longContext : standard;
					Map<TokenKind, BigDecimal> prices = (tier == ServiceTier.STANDARD) ? base
							: explicit.containsKey(tier) ? (isLong ? explicitLong : explicit).get(tier)
									: times(base, rules.multipliers().get(tier));
					prices.forEach((kind, price) -> rows.add(new NewPrice(this.provider, this.model, tier, context,
							kind, normalised(price), this.effectiveFrom)));
				}
			}
		}

		private static Map<ServiceTier, Map<TokenKind, BigDecimal>> tiers(
				@Nullable Map<ServiceTier, Map<TokenKind, BigDecimal>> tiers, String name, Rules rules,
				Refuser refuser) {
			Map<ServiceTier, Map<TokenKind, BigDecimal>> explicit = new EnumMap<>(ServiceTier.class);
			if (tiers != null) {
				tiers.forEach((tier, prices) -> {
					if (tier == ServiceTier.STANDARD) {
						throw refuser.refuse(name + ".standard",
								"must not be given: the entry's own prices are the standard tier's");
					}
					explicit.put(tier, rules.complete(prices, refuser.under(name + "." + tier.wire())));
				});
			}
			return explicit;
		}

		private static Map<TokenKind, BigDecimal> times(Map<TokenKind, BigDecimal> prices, BigDecimal multiplier) {
			Map<TokenKind, BigDecimal> result = new EnumMap<>(TokenKind.class);
			prices.forEach((kind, price) -> result.put(kind, price.multiply(multiplier)));
			return result;
		}

	}

	/** A price in the file: given, and not negative. */
	@NotNull(message = "must be a decimal such as \"3.75\"")
	@DecimalMin(value = "0", message = "is negative")
	@Target(ElementType.TYPE_USE)
	@Retention(RetentionPolicy.RUNTIME)
	@Constraint(validatedBy = {})
	@interface Price {

		String message() default "";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

}
