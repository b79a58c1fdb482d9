/**
 * The web plumbing every service behind the gateway shares: the front-door check that
 * admits only requests forwarded by the gateway and tells handlers who is calling
 * ({@link io.tollgate.support.web.Callers}), and one error type
 * ({@link io.tollgate.support.web.ApiException}) rendered in Tollgate's JSON error shape
 * ({@link io.tollgate.support.web.ErrorBody}).
 *
 * <p>
 * Both are auto-configured ({@code io.tollgate.support.config}); a service that declares
 * its own bean of either type keeps it.
 */
@NullMarked
package io.tollgate.support.web;

import org.jspecify.annotations.NullMarked;
