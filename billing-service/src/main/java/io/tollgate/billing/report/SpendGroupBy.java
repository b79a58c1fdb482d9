package io.tollgate.billing.report;

import io.tollgate.contract.WireValue;

/**
 * A dimension spend can be grouped by. The wire spelling is also the column name in
 * {@code spend_hour}; this enum is the whitelist that keeps the client's {@code group_by}
 * values out of the SQL text.
 */
enum SpendGroupBy implements WireValue {

	API_KEY_ID("api_key_id"),

	MODEL("model"),

	TOKEN_KIND("token_kind");

	private final String wire;

	SpendGroupBy(String wire) {
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
