/**
 * The web plumbing every service behind the gateway shares: the front-door check that
 * admits only requests forwarded by the gateway and tells handlers who is calling
 * ({@link io.tollgate.support.web.Callers}), and one error type
 * ({@link io.tollgate.support.web.ApiException}) rendered in Tollgate's JSON error shape
 * ({@link io.tollgate.support.web.ErrorBody}).
 *
 * <p>
 * Nothing here registers itself: a service declares {@code FrontDoorFilter} and
 * {@code ApiExceptionHandler} as beans in its own configuration, with its own settings.
 */
@NullMarked
package io.tollgate.support.web;

import org.jspecify.annotations.NullMarked;
