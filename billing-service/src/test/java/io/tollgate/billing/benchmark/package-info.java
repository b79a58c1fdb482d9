/**
 * The billing benchmark (docs/benchmarks.md): a main class run by
 * {@code bin/benchmark-billing}, never by the test suite.
 */
@NullMarked
package io.tollgate.billing.benchmark;

import org.jspecify.annotations.NullMarked;
