/**
 * End-to-end tests of the services as deployed: separate processes from their packaged
 * jars, real Kafka and PostgreSQL, every call through the gateway's front door.
 */
@NullMarked
package io.tollgate.system;

import org.jspecify.annotations.NullMarked;
