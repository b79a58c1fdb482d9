package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.support.web.ApiException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A price correction, as validated from the body of
 * {@code POST /admin/v1/prices/corrections}: the price one key should have had for usage
 * whose bucket starts in {@code [from, to)}.
 *
 * <p>
 * Rules: {@code model} is a catalog name (the caller checks that the catalog has it);
 * {@code usd_per_mtok} follows the rules of price versions (a decimal, not negative, at
 * most 100,000, at most 12 decimals); {@code from} and {@code to} are RFC 3339 times
 * (kept to the microsecond, the table's precision) with {@code from < to}, and {@code to}
 * not in the future beyond {@link PriceChange#CLOCK_SKEW}: a correction re-prices usage
 * that has happened, a price for usage to come is a price version. The range may end at
 * now: deltas of buckets in the range that arrive later are priced at the corrected price
 * too.
 *
 * @param provider the provider
 * @param model the catalog model
 * @param serviceTier the service tier of the usage to re-price
 * @param contextTier the context tier of the usage to re-price
 * @param tokenKind the token kind
 * @param usdPerMtok the price it should have had, USD per million tokens
 * @param from the first bucket start it covers
 * @param to the end of the range, exclusive
 * @param reason why, for the record
 */
public record CorrectionRequest(Provider provider, String model, ServiceTier serviceTier, ContextTier contextTier,
		TokenKind tokenKind, BigDecimal usdPerMtok, Instant from, Instant to, String reason) {

	private static final Set<String> FIELDS = Set.of("provider", "model", "service_tier", "context_tier", "token_kind",
			"usd_per_mtok", "from", "to", "reason");

	/**
	 * Validates a request body.
	 * @param json the body, {@code null} when there is none
	 * @param now the current time
	 * @return the correction to make
	 * @throws ApiException 400 {@code invalid_parameter} naming the field
	 */
	public static CorrectionRequest parse(@Nullable String json, Instant now) {
		if (json == null || json.isBlank()) {
			throw ApiException.invalidParameter("body",
					"the body must be a JSON object with provider, model, service_tier, context_tier, token_kind, "
							+ "usd_per_mtok, from, to and reason");
		}
		return parse(PriceChange.readJson(json), now);
	}

	static CorrectionRequest parse(JsonNode body, Instant now) {
		PriceChange.requireFields(body, FIELDS);
		Provider provider = PriceChange.wire(Provider.class, PriceChange.text(body, "provider"), "provider");
		String model = PriceChange.catalogModel(body);
		ServiceTier serviceTier = PriceChange.wire(ServiceTier.class, PriceChange.text(body, "service_tier"),
				"service_tier");
		ContextTier contextTier = PriceChange.wire(ContextTier.class, PriceChange.text(body, "context_tier"),
				"context_tier");
		TokenKind tokenKind = PriceChange.wire(TokenKind.class, PriceChange.text(body, "token_kind"), "token_kind");
		BigDecimal price = PriceChange.price(body.path("usd_per_mtok"), "usd_per_mtok");
		Instant from = time(body, "from");
		Instant to = time(body, "to");
		if (!from.isBefore(to)) {
			throw ApiException.invalidParameter("to", "to " + to + " must be after from " + from);
		}
		if (to.isAfter(now.plus(PriceChange.CLOCK_SKEW))) {
			throw ApiException.invalidParameter("to",
					"to " + to + " is in the future: a correction re-prices usage "
							+ "that has happened (at most up to now); a price for usage to come is a new price version "
							+ "(POST /admin/v1/prices)");
		}
		String reason = PriceChange.reason(body);
		return new CorrectionRequest(provider, model, serviceTier, contextTier, tokenKind, price, from, to, reason);
	}

	private static Instant time(JsonNode body, String field) {
		String value = PriceChange.text(body, field);
		try {
			return OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.MICROS);
		}
		catch (DateTimeParseException ex) {
			throw ApiException.invalidParameter(field,
					field + " '" + value + "' is not an RFC 3339 time such as 2026-11-01T00:00:00Z");
		}
	}

}
