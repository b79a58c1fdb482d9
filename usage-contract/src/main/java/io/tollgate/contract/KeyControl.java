package io.tollgate.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A decision to pause or resume an API key, published by alerting (or an admin) on the
 * compacted {@link Topics#KEY_CONTROLS} topic, keyed by api key id: the latest record per
 * key is the key's current state, which every gateway instance follows.
 *
 * @param controlId unique id of this decision
 * @param tenantId the tenant that owns the key
 * @param apiKeyId the key the decision is about, or {@value #ALL_KEYS} for every key of
 * the tenant
 * @param action pause or resume
 * @param reason a machine-readable reason code in lower snake case, e.g.
 * {@value #BUDGET_EXHAUSTED}, {@value #RUNAWAY_LOOP}, {@value #MANUAL}
 * @param message a human-readable explanation for the client, when there is one
 * @param until when access returns on its own (e.g. the next budget period), or
 * {@code null} when only a resume decision lifts the pause
 * @param decidedAt when the decision was made
 */
public record KeyControl(@JsonProperty("control_id") String controlId, @JsonProperty("tenant_id") String tenantId,
		@JsonProperty("api_key_id") String apiKeyId, @JsonProperty("action") KeyAction action,
		@JsonProperty("reason") String reason, @JsonProperty("message") @Nullable String message,
		@JsonProperty("until") @Nullable Instant until,
		@JsonProperty("decided_at") Instant decidedAt) implements ContractEvent {

	/** Reason: the budget cap for the period is reached. */
	public static final String BUDGET_EXHAUSTED = "budget_exhausted";

	/** Reason: runaway-loop detection saw the same request repeated. */
	public static final String RUNAWAY_LOOP = "runaway_loop";

	/** Reason: an administrator decided. */
	public static final String MANUAL = "manual";

	/**
	 * The {@code api_key_id} of a decision about every key of the tenant, present and
	 * future (a tenant-wide budget).
	 */
	public static final String ALL_KEYS = "*";

	/**
	 * Whether this decision is about every key of the tenant.
	 * @return true for {@link #ALL_KEYS}
	 */
	public boolean allKeys() {
		return ALL_KEYS.equals(this.apiKeyId);
	}

	@Override
	public String id() {
		return this.controlId;
	}

	/**
	 * The record key: the key's id, or {@code <tenant_id>/*} for every key of a tenant,
	 * so that compaction keeps one current decision per key and one per tenant.
	 */
	@Override
	public String partitionKey() {
		return allKeys() ? this.tenantId + "/" + ALL_KEYS : this.apiKeyId;
	}

	@Override
	public Instant eventTime() {
		return this.decidedAt;
	}

}
