/**
 * The auto-configuration of {@code service-support}: a service that depends on the module
 * gets its clock, front-door check, error handler, offsets, outbox and relay as beans,
 * configured by {@link io.tollgate.support.config.ServiceSupportProperties}
 * ({@code tollgate.service.*}).
 */
@NullMarked
package io.tollgate.support.config;

import org.jspecify.annotations.NullMarked;
