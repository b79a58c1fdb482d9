/**
 * The web plumbing every API of the metering service shares: the front-door check that
 * admits only requests forwarded by the gateway and tells handlers who is calling
 * ({@link io.tollgate.metering.web.Callers}), and one error type
 * ({@link io.tollgate.metering.web.ApiException}) rendered in Tollgate's JSON error shape
 * ({@link io.tollgate.metering.web.ErrorBody}).
 */
@NullMarked
package io.tollgate.metering.web;

import org.jspecify.annotations.NullMarked;
