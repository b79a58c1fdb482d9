package io.tollgate.billing.catalog;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.billing.config.RequestBodies;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.support.web.ApiException;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * A new price version, the body of {@code POST /admin/v1/prices}.
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
record PriceChange(@NotNull(message = REQUIRED) Provider provider,
		@NotBlank(message = REQUIRED) @Pattern(regexp = ModelNames.CATALOG_NAME, message = CATALOG_MODEL) String model,
		@JsonProperty("service_tier") @NotNull(message = REQUIRED) ServiceTier serviceTier,
		@JsonProperty("context_tier") @NotNull(message = REQUIRED) ContextTier contextTier,
		@JsonProperty("effective_from") @NotNull(message = REQUIRED) Instant effectiveFrom,
		@NotEmpty(message = "must be an object of token kind (input, output, cache_write_5m, cache_write_1h, "
				+ "cache_read) to USD per million tokens, such as \\{\"input\": \"3.00\"\\}, with at least one "
				+ "kind") Map<TokenKind, @UsdPerMtok BigDecimal> prices,
		@NotBlank(message = REQUIRED) @Size(max = 500, message = "is longer than {max} characters") String reason) {

	/** How far in the past effective_from may be: clocks differ a little. */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	static final String EFFECTIVE_FROM_IN_PAST = "effective_from_in_past";

	static final String REQUIRED = "is required (a non-empty string)";

	static final String CATALOG_MODEL = "must be a lower-case catalog name such as claude-sonnet-4-5 (letters, "
			+ "digits, '.', '_', ':' and '-', at most 100)";

	/**
	 * Stripped and normalised as stored; null where missing, until validation refuses it.
	 */
	PriceChange {
		model = strip(model);
		reason = strip(reason);
		effectiveFrom = micros(effectiveFrom);
		if (prices != null) {
			Map<TokenKind, BigDecimal> normalised = new EnumMap<>(TokenKind.class);
			prices.forEach((kind, price) -> normalised.put(kind, normalised(price)));
			prices = Collections.unmodifiableMap(normalised);
		}
	}

	/**
	 * Reads a body: refused with 400 {@code invalid_parameter} or
	 * {@value #EFFECTIVE_FROM_IN_PAST}.
	 */
	static PriceChange parse(String json, Instant now) {
		PriceChange change = RequestBodies.body(json, PriceChange.class);
		if (change.effectiveFrom().isBefore(now.minus(CLOCK_SKEW))) {
			throw new ApiException(HttpStatus.BAD_REQUEST, EFFECTIVE_FROM_IN_PAST, "effective_from "
					+ change.effectiveFrom()
					+ " is in the past: a new price version applies from now on, and usage already priced keeps its "
					+ "price. Changing what past usage cost is a correction (re-pricing with adjusting entries in the "
					+ "ledger), not a new price version.", Map.of("param", "effective_from"));
		}
		return change;
	}

	static @Nullable String strip(@Nullable String text) {
		return (text != null) ? text.strip() : null;
	}

	static @Nullable Instant micros(@Nullable Instant time) {
		return (time != null) ? time.truncatedTo(ChronoUnit.MICROS) : null;
	}

	static @Nullable BigDecimal normalised(@Nullable BigDecimal price) {
		return (price != null) ? CatalogFile.normalised(price) : null;
	}

	/**
	 * A price in USD per million tokens; above 100,000 is a typo, or cents for dollars.
	 */
	@NotNull(message = "must be a decimal string such as \"3.75\"")
	@DecimalMin(value = "0", message = "must not be negative")
	@DecimalMax(value = "100000", message = "is above 100000 USD per million tokens")
	@Digits(integer = 6, fraction = 12, message = "has more than 12 decimals")
	@Target({ ElementType.FIELD, ElementType.TYPE_USE })
	@Retention(RetentionPolicy.RUNTIME)
	@Constraint(validatedBy = {})
	@interface UsdPerMtok {

		String message() default "";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

}
