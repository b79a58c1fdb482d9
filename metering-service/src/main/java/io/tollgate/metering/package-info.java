/**
 * Tollgate's metering service. Consumes usage events and aggregates tokens exactly once
 * by tenant, key, model, tier and time bucket; answers the usage API.
 */
@NullMarked
package io.tollgate.metering;

import org.jspecify.annotations.NullMarked;
