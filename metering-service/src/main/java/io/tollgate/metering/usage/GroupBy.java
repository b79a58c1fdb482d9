package io.tollgate.metering.usage;

import io.tollgate.contract.WireValue;

/**
 * A dimension usage can be grouped by. The wire spelling is also the column name in the
 * usage tables; this enum is the whitelist that keeps the client's {@code group_by}
 * values out of the SQL text.
 */
enum GroupBy implements WireValue {

	API_KEY_ID("api_key_id"),

	MODEL("model"),

	PROVIDER("provider"),

	SERVICE_TIER("service_tier"),

	CONTEXT_TIER("context_tier");

	private final String wire;

	GroupBy(String wire) {
		this.wire = wire;
	}

	@Override
	public String wire() {
		return this.wire;
	}

	String column() {
		return this.wire;
	}

}
