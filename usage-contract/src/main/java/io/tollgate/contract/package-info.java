/**
 * The Tollgate event contract: the events the services exchange over Kafka, their
 * validation rules, their JSON form and JSON Schemas, the topic catalogue and the
 * CloudEvents Kafka binding.
 *
 * <p>
 * Everything that decides whether an event is acceptable lives here once: producers call
 * {@link io.tollgate.contract.EventValidator} (or let
 * {@link io.tollgate.contract.ContractSerializer} do it), consumers get the same rules
 * through {@link io.tollgate.contract.EventCodec} and
 * {@link io.tollgate.contract.ContractDeserializer}.
 */
@NullMarked
package io.tollgate.contract;

import org.jspecify.annotations.NullMarked;
