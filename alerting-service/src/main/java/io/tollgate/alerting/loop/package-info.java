/**
 * Runaway-loop detection from the usage topic: the same request repeated, and context
 * growing call after call in a tight loop, per API key, escalating from a warning to a
 * pause of the key.
 */
@NullMarked
package io.tollgate.alerting.loop;

import org.jspecify.annotations.NullMarked;
