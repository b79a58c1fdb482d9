/**
 * HTTP error handling shared by every route: one exception type carrying status and
 * machine-readable code, rendered in the provider's own error shape on model routes and
 * in Tollgate's shape elsewhere.
 */
@NullMarked
package io.tollgate.gateway.web;

import org.jspecify.annotations.NullMarked;
