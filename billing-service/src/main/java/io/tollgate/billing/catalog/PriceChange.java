package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.WireValue;
import io.tollgate.support.web.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

/**
 * A new price version, as validated from the body of {@code POST /admin/v1/prices}.
 *
 * <p>
 * A version applies from now on: an {@code effective_from} in the past (beyond
 * {@link #CLOCK_SKEW}) is refused, since changing what past usage cost is a correction,
 * recorded as adjusting entries, never a new price version. A version may give only some
 * token kinds; the others keep the price they had.
 *
 * @param provider the provider
 * @param model the catalog model (a new name adds a model)
 * @param serviceTier the service tier
 * @param contextTier the context tier
 * @param effectiveFrom from when, to the microsecond (the table's precision)
 * @param prices the new prices, USD per million tokens
 * @param reason why, recorded as the version's source
 */
record PriceChange(Provider provider, String model, ServiceTier serviceTier, ContextTier contextTier,
		Instant effectiveFrom, Map<TokenKind, BigDecimal> prices, String reason) {

	/** How far in the past effective_from may be: clocks differ a little. */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	static final String EFFECTIVE_FROM_IN_PAST = "effective_from_in_past";

	private static final Set<String> FIELDS = Set.of("provider", "model", "service_tier", "context_tier",
			"effective_from", "prices", "reason");

	private static final int MAX_REASON = 500;

	/**
	 * Far above any list price: a larger value is a typo (or cents instead of dollars).
	 */
	private static final BigDecimal MAX_PRICE = new BigDecimal("100000");

	private static final int MAX_DECIMALS = 12;

	PriceChange {
		prices = Map.copyOf(prices);
	}

	/**
	 * Validates a request body.
	 * @param body the body
	 * @param now the current time
	 * @return the version
	 * @throws ApiException 400 {@code invalid_parameter} naming the field, or
	 * {@value #EFFECTIVE_FROM_IN_PAST}
	 */
	static PriceChange parse(JsonNode body, Instant now) {
		requireFields(body, FIELDS);
		Provider provider = wire(Provider.class, text(body, "provider"), "provider");
		String model = catalogModel(body);
		ServiceTier serviceTier = wire(ServiceTier.class, text(body, "service_tier"), "service_tier");
		ContextTier contextTier = wire(ContextTier.class, text(body, "context_tier"), "context_tier");
		Instant effectiveFrom = effectiveFrom(text(body, "effective_from"), now);
		Map<TokenKind, BigDecimal> prices = prices(body.path("prices"));
		String reason = reason(body);
		return new PriceChange(provider, model, serviceTier, contextTier, effectiveFrom, prices, reason);
	}

	/**
	 * Reads a request body of the price admin API as JSON.
	 * @param json the body
	 * @return the JSON
	 * @throws ApiException 400 {@code invalid_parameter} ({@code body}) when it is not
	 * JSON
	 */
	static JsonNode readJson(String json) {
		try {
			return CatalogFile.json().readTree(json);
		}
		catch (JacksonException ex) {
			throw ApiException.invalidParameter("body", "the body is not valid JSON: " + ex.getOriginalMessage());
		}
	}

	/**
	 * Refuses a body that is not a JSON object, or that has a field outside the known
	 * ones (a misspelt optional field would otherwise be ignored in silence).
	 */
	static void requireFields(JsonNode body, Set<String> fields) {
		if (!body.isObject()) {
			throw ApiException.invalidParameter("body", "the body must be a JSON object");
		}
		for (String name : body.propertyNames()) {
			if (!fields.contains(name)) {
				throw ApiException.invalidParameter(name, "unknown field " + name + " (known: "
						+ String.join(", ", fields.stream().sorted().toList()) + ")");
			}
		}
	}

	/** The {@code model} field: a catalog name, not a reported snapshot name. */
	static String catalogModel(JsonNode body) {
		String model = text(body, "model");
		if (!ModelNames.CATALOG_NAME.matcher(model).matches()) {
			throw ApiException.invalidParameter("model", "model '" + model + "' must be a lower-case catalog name "
					+ "such as claude-sonnet-4-5 (letters, digits, '.', '_', ':' and '-', at most 100)");
		}
		return model;
	}

	/** The {@code reason} field, kept for the record. */
	static String reason(JsonNode body) {
		String reason = text(body, "reason");
		if (reason.length() > MAX_REASON) {
			throw ApiException.invalidParameter("reason", "reason is longer than " + MAX_REASON + " characters");
		}
		return reason;
	}

	private static Instant effectiveFrom(String value, Instant now) {
		Instant effectiveFrom;
		try {
			effectiveFrom = OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw ApiException.invalidParameter("effective_from",
					"effective_from '" + value + "' is not an RFC 3339 time such as 2026-12-01T00:00:00Z");
		}
		if (effectiveFrom.isBefore(now.minus(CLOCK_SKEW))) {
			throw new ApiException(HttpStatus.BAD_REQUEST, EFFECTIVE_FROM_IN_PAST, "effective_from " + effectiveFrom
					+ " is in the past: a new price version applies from now on, and usage already priced keeps its "
					+ "price. Changing what past usage cost is a correction (re-pricing with adjusting entries in the "
					+ "ledger), not a new price version.", Map.of("param", "effective_from"));
		}
		return effectiveFrom.truncatedTo(ChronoUnit.MICROS);
	}

	private static Map<TokenKind, BigDecimal> prices(JsonNode prices) {
		if (!prices.isObject() || prices.isEmpty()) {
			throw ApiException.invalidParameter("prices",
					"prices must be an object of token kind (" + WireValue.spellings(TokenKind.class)
							+ ") to USD per million tokens, such as {\"input\": "
							+ "\"3.00\"}, with at least one kind");
		}
		Map<TokenKind, BigDecimal> byKind = new EnumMap<>(TokenKind.class);
		for (Map.Entry<String, JsonNode> price : prices.properties()) {
			String param = "prices." + price.getKey();
			TokenKind kind = wire(TokenKind.class, price.getKey(), param);
			byKind.put(kind, price(price.getValue(), param));
		}
		return byKind;
	}

	static BigDecimal price(JsonNode value, String param) {
		BigDecimal price;
		if (value.isString()) {
			try {
				price = new BigDecimal(value.stringValue().strip());
			}
			catch (NumberFormatException ex) {
				throw ApiException.invalidParameter(param,
						param + " '" + value.stringValue() + "' is not a decimal such as \"3.75\"");
			}
		}
		else if (value.isBigDecimal() || value.isIntegralNumber()) {
			price = value.decimalValue();
		}
		else {
			throw ApiException.invalidParameter(param, param + " must be a decimal string such as \"3.75\"");
		}
		if (price.signum() < 0) {
			throw ApiException.invalidParameter(param, param + " must not be negative");
		}
		if (price.compareTo(MAX_PRICE) > 0) {
			throw ApiException.invalidParameter(param,
					param + " is above " + MAX_PRICE.toPlainString() + " USD per million tokens");
		}
		BigDecimal normalised = CatalogFile.normalised(price);
		if (normalised.scale() > MAX_DECIMALS) {
			throw ApiException.invalidParameter(param, param + " has more than " + MAX_DECIMALS + " decimals");
		}
		return normalised;
	}

	static String text(JsonNode body, String field) {
		JsonNode value = body.path(field);
		if (!value.isString() || value.stringValue().isBlank()) {
			throw ApiException.invalidParameter(field, field + " is required (a non-empty string)");
		}
		return value.stringValue().strip();
	}

	static <E extends Enum<E> & WireValue> E wire(Class<E> type, String value, String param) {
		return WireValue.lookup(type, value)
			.orElseThrow(() -> ApiException.invalidParameter(param,
					param + " '" + value + "' is not one of " + WireValue.spellings(type)));
	}

}
