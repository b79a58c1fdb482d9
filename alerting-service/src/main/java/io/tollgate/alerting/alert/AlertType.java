package io.tollgate.alerting.alert;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an alert, and the webhook that carries it, is about. The wire name is the
 * webhook's {@code type} and what endpoints subscribe to.
 */
public enum AlertType {

	/** Spend reached one of the budget's alert thresholds for the period. */
	BUDGET_THRESHOLD_REACHED("budget.threshold_reached"),

	/** The projected spend at the period's end is over the cap. */
	BUDGET_FORECAST_OVER_CAP("budget.forecast_over_cap"),

	/** Spend reached the cap. */
	BUDGET_CAP_REACHED("budget.cap_reached"),

	/** A key (or every key of a tenant) was paused at the gateway. */
	KEY_PAUSED("key.paused"),

	/** A paused key was resumed. */
	KEY_RESUMED("key.resumed"),

	/** A key's traffic looks like a runaway loop. */
	LOOP_DETECTED("loop.detected"),

	/** A webhook endpoint was disabled (it kept failing, or answered 410). */
	ENDPOINT_DISABLED("endpoint.disabled"),

	/** A test message a tenant asked for. */
	WEBHOOK_TEST("webhook.test");

	private final String wire;

	AlertType(String wire) {
		this.wire = wire;
	}

	/**
	 * The wire name, such as {@code budget.threshold_reached}.
	 * @return the name
	 */
	public String wire() {
		return this.wire;
	}

	/**
	 * The type of a wire name.
	 * @param wire the name
	 * @return the type, empty when there is none by that name
	 */
	public static Optional<AlertType> of(String wire) {
		return Arrays.stream(values()).filter((type) -> type.wire.equals(wire)).findFirst();
	}

	/**
	 * Every wire name, for messages.
	 * @return the names, comma-separated
	 */
	public static String spellings() {
		return String.join(", ", Arrays.stream(values()).map(AlertType::wire).toList());
	}

}
