/**
 * Who is calling: a tenant's key or the admin credential, resolved once per request into
 * the contract's {@code Caller} (the model every service shares); refusals in the route's
 * provider error shape.
 */
@NullMarked
package io.tollgate.gateway.auth;

import org.jspecify.annotations.NullMarked;
