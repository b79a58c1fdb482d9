package io.tollgate.billing.config;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the billing service, bound from {@code tollgate.billing.*}
 * (environment variables in the service's README) and validated at start-up.
 *
 * @param internalToken the credential the gateway's front door adds to every forwarded
 * request; the service answers nothing else (no default on purpose)
 * @param catalog where the seed price catalog comes from, and how unknown models are
 * priced
 */
@ConfigurationProperties("tollgate.billing")
@Validated
public record BillingProperties(
		@NotBlank(message = "set TOLLGATE_INTERNAL_TOKEN (the same value as the gateway's)") String internalToken,
		@Valid @DefaultValue Catalog catalog) {

	/**
	 * The price catalog.
	 *
	 * @param location the seed catalog file (a Spring resource location), loaded at
	 * start: entries not yet in the database are added as price versions, nothing is
	 * changed
	 * @param fallbackModels per provider ({@code anthropic}, {@code openai},
	 * {@code gemini}), the catalog model whose prices apply to a model the catalog does
	 * not know; such usage is flagged {@code unpriced}. {@code application.yml} sets each
	 * provider's most expensive mainstream model, so an unknown model is never billed
	 * below what it could cost; a provider without an entry prices unknown models at zero
	 * (still flagged)
	 */
	public record Catalog(@DefaultValue("classpath:catalog/prices.json") String location,
			@DefaultValue Map<String, String> fallbackModels) {

	}

}
