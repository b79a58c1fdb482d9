/**
 * Real Kafka and PostgreSQL for integration tests, whichever way this machine can provide
 * them. A test says what it needs ({@link io.tollgate.testsupport.UsesKafka},
 * {@link io.tollgate.testsupport.UsesPostgres});
 * {@link io.tollgate.testsupport.TestInfrastructure} decides how to get it, once per test
 * JVM.
 */
@NullMarked
package io.tollgate.testsupport;

import org.jspecify.annotations.NullMarked;
