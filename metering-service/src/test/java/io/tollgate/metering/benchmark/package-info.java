/**
 * The metering benchmark (docs/benchmarks.md): a main class run by
 * {@code bin/benchmark-metering}, never by the test suite.
 */
@NullMarked
package io.tollgate.metering.benchmark;

import org.jspecify.annotations.NullMarked;
