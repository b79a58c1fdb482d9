/**
 * The gateway's HTTP plumbing: the provider error shapes of model routes
 * ({@link io.tollgate.gateway.web.ProviderErrorShape}, plugged into service-support's one
 * error handler; Tollgate's shape elsewhere), and which headers cross the proxy.
 */
@NullMarked
package io.tollgate.gateway.web;

import org.jspecify.annotations.NullMarked;
