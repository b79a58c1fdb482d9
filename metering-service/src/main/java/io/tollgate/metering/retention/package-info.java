/**
 * Retention: expired minute buckets and dedup entries are deleted in small chunks.
 */
@NullMarked
package io.tollgate.metering.retention;

import org.jspecify.annotations.NullMarked;
