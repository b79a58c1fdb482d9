/**
 * The transparent proxy: model calls go to the provider with the same bytes up and down,
 * streams flushed event by event, and every call's usage becomes one usage event.
 */
@NullMarked
package io.tollgate.gateway.proxy;

import org.jspecify.annotations.NullMarked;
