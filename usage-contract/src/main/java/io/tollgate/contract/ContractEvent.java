package io.tollgate.contract;

import java.time.Instant;

/**
 * An event of the Tollgate contract: one of the values carried on the catalogue's topics
 * (see {@link Topics}). Sealed so that every {@code switch} over events is checked for
 * completeness when an event type is added.
 */
public sealed interface ContractEvent permits UsageEvent, MeteredUsage, SpendUpdate, KeyControl {

	/**
	 * The event's identity, stable across redelivery and retries: consumers deduplicate
	 * on it, and it is written as the CloudEvents {@code ce_id}.
	 * @return the id
	 */
	String id();

	/**
	 * The tenant the event belongs to, written as the CloudEvents {@code ce_subject}.
	 * @return the tenant id
	 */
	String tenantId();

	/**
	 * The Kafka record key. Events that must stay in order relative to each other share a
	 * key: a tenant's usage, metered usage and spend; a key's pause and resume decisions.
	 * @return the partition key
	 */
	String partitionKey();

	/**
	 * When the event happened, written as the CloudEvents {@code ce_time}.
	 * @return the event's own time
	 */
	Instant eventTime();

}
