/**
 * Tenants and their Tollgate API keys: the admin API, storage, and the cached lookup the
 * proxy authenticates with.
 */
@NullMarked
package io.tollgate.gateway.tenant;

import org.jspecify.annotations.NullMarked;
