package io.tollgate.billing.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the billing service, bound from {@code tollgate.billing.*}
 * (environment variables in the service's README) and validated at start-up.
 *
 * @param catalog where the seed price catalog comes from, and how unknown models are
 * priced
 * @param ledger how metered usage is consumed into the ledger
 * @param topics partitions and replicas of the topics billing creates
 * @param spendUpdates how spend updates are coalesced and published
 * @param cloudEventsSource the CloudEvents {@code source} of the spend updates this
 * deployment publishes
 */
@ConfigurationProperties("tollgate.billing")
@Validated
public record BillingProperties(@Valid @DefaultValue Catalog catalog, @Valid @DefaultValue Ledger ledger,
		@Valid @DefaultValue Topics topics, @Valid @DefaultValue SpendUpdates spendUpdates,
		@DefaultValue("/tollgate/billing") URI cloudEventsSource) {

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

	/**
	 * The ledger consumer.
	 *
	 * @param concurrency consumer threads in this instance (each owns some partitions)
	 */
	public record Ledger(@DefaultValue("2") @Min(1) @Max(64) int concurrency) {

	}

	/**
	 * Spend updates for the spend topic.
	 *
	 * @param interval how often the tenants whose spend changed get an update: a tenant
	 * gets at most one per interval (per instance), however busy
	 * @param maxTenantsPerRound most tenants one round takes (the rest follow at once)
	 */
	public record SpendUpdates(@DefaultValue("1s") Duration interval,
			@DefaultValue("500") @Min(1) @Max(10000) int maxTenantsPerRound) {

		public SpendUpdates {
			if (interval.isNegative() || interval.isZero()) {
				throw new IllegalArgumentException("tollgate.billing.spend-updates.interval must be positive");
			}
		}

	}

	/**
	 * Topics billing creates when they are missing.
	 *
	 * @param partitions partitions of the metered-usage and spend topics
	 * @param replicas replication factor
	 */
	public record Topics(@DefaultValue("12") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas) {

	}

}
