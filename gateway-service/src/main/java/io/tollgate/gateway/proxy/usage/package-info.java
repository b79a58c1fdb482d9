/**
 * Token usage metering of proxied model calls.
 *
 * <p>
 * The proxy forwards the provider's bytes to the client untouched and tees them into a
 * {@link io.tollgate.gateway.proxy.usage.UsageTap}, which extracts the call's usage
 * normalised to {@link io.tollgate.gateway.proxy.usage.ExtractedUsage} (uncached input,
 * output, cache writes by TTL, cache reads, reasoning, server tool uses). The OpenAI chat
 * route adds one rewrite ({@link io.tollgate.gateway.proxy.usage.OpenAiUsageInjection})
 * because OpenAI only reports streamed usage when asked; Anthropic Message Batches
 * results are metered by {@link io.tollgate.gateway.proxy.usage.BatchResultsParser}.
 *
 * <p>
 * Everything here is pure and synchronous (no Spring, no Kafka, no I/O), so that the
 * proxy can call it on the event loop for every chunk.
 */
@NullMarked
package io.tollgate.gateway.proxy.usage;

import org.jspecify.annotations.NullMarked;
