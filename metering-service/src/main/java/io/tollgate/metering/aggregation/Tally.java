package io.tollgate.metering.aggregation;

import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.UsageEvent;

/**
 * What a set of events adds to one bucket.
 *
 * @param requests calls; always {@code successes + upstreamErrors + clientAborts}
 * @param successes calls that succeeded
 * @param upstreamErrors calls the provider failed
 * @param clientAborts calls the client aborted
 * @param tokens the token counts
 */
record Tally(long requests, long successes, long upstreamErrors, long clientAborts, TokenCounts tokens) {

	static final Tally ZERO = new Tally(0, 0, 0, 0, TokenCounts.ZERO);

	static Tally of(UsageEvent event) {
		return switch (event.outcome()) {
			case SUCCESS -> new Tally(1, 1, 0, 0, event.tokens());
			case UPSTREAM_ERROR -> new Tally(1, 0, 1, 0, event.tokens());
			case CLIENT_ABORTED -> new Tally(1, 0, 0, 1, event.tokens());
		};
	}

	/** Sums field by field; overflow throws rather than wraps into a wrong bill. */
	Tally plus(Tally other) {
		return new Tally(Math.addExact(this.requests, other.requests), Math.addExact(this.successes, other.successes),
				Math.addExact(this.upstreamErrors, other.upstreamErrors),
				Math.addExact(this.clientAborts, other.clientAborts), this.tokens.plus(other.tokens));
	}

}
