package io.tollgate.alerting.delivery;

import java.io.IOException;
import java.io.Serial;

/**
 * Fails a webhook request whose destination the {@link DestinationGuard} does not permit
 * at connect time; raised before any connection is attempted. An {@link IOException}, as
 * Reactor Netty's own connect failures are, but a permanent one: retrying cannot succeed
 * until the name resolves differently or the allowlist changes.
 */
public final class DestinationRefusedException extends IOException {

	@Serial
	private static final long serialVersionUID = 1L;

	// The verdict's parts rather than the record: an exception must stay serialisable.
	private final String code;

	private final String reason;

	DestinationRefusedException(DestinationGuard.Refused refused) {
		super("Webhook destination refused (" + refused.code() + "): " + refused.message());
		this.code = refused.code();
		this.reason = refused.message();
	}

	/**
	 * The refusal, as {@link DestinationGuard#check} would word it.
	 * @return the code (always "forbidden_destination" at connect time) and the message
	 */
	public DestinationGuard.Refused refused() {
		return new DestinationGuard.Refused(this.code, this.reason);
	}

}
