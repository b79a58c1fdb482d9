/**
 * The front door: tenant and admin API calls, authenticated here, forwarded to the
 * service that owns them with the caller attached and the internal credential those
 * services require.
 */
@NullMarked
package io.tollgate.gateway.frontdoor;

import org.jspecify.annotations.NullMarked;
