/**
 * The front door's contract with the services behind it: who is calling
 * ({@link io.tollgate.contract.frontdoor.Caller}), the headers by which the gateway says
 * so, and the one rule every service applies to them (internal token first, then the
 * caller, then the tenant the request may act on).
 *
 * <p>
 * Framework-free on purpose: each service adapts it to its web stack in a few lines, and
 * the rule itself lives here once.
 */
@NullMarked
package io.tollgate.contract.frontdoor;

import org.jspecify.annotations.NullMarked;
