/**
 * What the services' benchmarks (docs/benchmarks.md) share: a command line
 * ({@link io.tollgate.testsupport.benchmark.BenchmarkOptions}), a run directory with its
 * Markdown summary ({@link io.tollgate.testsupport.benchmark.BenchmarkRun},
 * {@link io.tollgate.testsupport.benchmark.Report}), a service run from its packaged jar
 * ({@link io.tollgate.testsupport.benchmark.JarService}), CPU per process from
 * {@code /proc} ({@link io.tollgate.testsupport.benchmark.CpuMeter}), Prometheus scrapes
 * ({@link io.tollgate.testsupport.benchmark.Scrape}), a throw-away database with
 * read-only probes ({@link io.tollgate.testsupport.benchmark.BenchmarkDatabase}), a Kafka
 * load generator ({@link io.tollgate.testsupport.benchmark.Load}) and sequential HTTP
 * latency ({@link io.tollgate.testsupport.benchmark.HttpLatency}).
 *
 * <p>
 * Benchmarks are main classes in a service's test sources, run by {@code bin/benchmark-*}
 * scripts, never by the test suite. What a benchmark measures (its load, its phases, its
 * queries) stays with the service; only the machinery is here.
 */
@NullMarked
package io.tollgate.testsupport.benchmark;

import org.jspecify.annotations.NullMarked;
