package io.tollgate.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.billing.config.RequestBodies;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.support.web.ApiException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A price correction, the body of {@code POST /admin/v1/prices/corrections}: the price
 * one key should have had for usage whose bucket starts in {@code [from, to)}.
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
public record CorrectionRequest(@NotNull(message = PriceChange.REQUIRED) Provider provider,
		@NotBlank(message = PriceChange.REQUIRED) @Pattern(regexp = ModelNames.CATALOG_NAME,
				message = PriceChange.CATALOG_MODEL) String model,
		@JsonProperty("service_tier") @NotNull(message = PriceChange.REQUIRED) ServiceTier serviceTier,
		@JsonProperty("context_tier") @NotNull(message = PriceChange.REQUIRED) ContextTier contextTier,
		@JsonProperty("token_kind") @NotNull(message = PriceChange.REQUIRED) TokenKind tokenKind,
		@JsonProperty("usd_per_mtok") @PriceChange.UsdPerMtok BigDecimal usdPerMtok,
		@NotNull(message = PriceChange.REQUIRED) Instant from, @NotNull(message = PriceChange.REQUIRED) Instant to,
		@NotBlank(message = PriceChange.REQUIRED) @Size(max = 500,
				message = "is longer than {max} characters") String reason) {

	/**
	 * As bound, a missing field is null: validation refuses it before anyone reads it.
	 */
	public CorrectionRequest {
		model = PriceChange.strip(model);
		reason = PriceChange.strip(reason);
		usdPerMtok = PriceChange.normalised(usdPerMtok);
		from = PriceChange.micros(from);
		to = PriceChange.micros(to);
	}

	/**
	 * Reads a body ({@code null} when there is none): refused with 400
	 * {@code invalid_parameter}.
	 */
	public static CorrectionRequest parse(@Nullable String json, Instant now) {
		if (json == null || json.isBlank()) {
			throw ApiException.invalidParameter("body",
					"the body must be a JSON object with provider, model, service_tier, context_tier, token_kind, "
							+ "usd_per_mtok, from, to and reason");
		}
		CorrectionRequest request = RequestBodies.body(json, CorrectionRequest.class);
		if (!request.from().isBefore(request.to())) {
			throw ApiException.invalidParameter("to", "to " + request.to() + " must be after from " + request.from());
		}
		if (request.to().isAfter(now.plus(PriceChange.CLOCK_SKEW))) {
			throw ApiException.invalidParameter("to", "to " + request.to()
					+ " is in the future: a correction re-prices usage that has happened (at "
					+ "most up to now); a price for usage to come is a new price version (POST /admin/v1/prices)");
		}
		return request;
	}

}
