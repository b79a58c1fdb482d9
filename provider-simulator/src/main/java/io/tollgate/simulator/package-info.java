/**
 * A fake LLM provider that speaks the Anthropic, OpenAI and Gemini wire formats (JSON and
 * server-sent events) with scripted token usage, latency, errors and aborts. Used by the
 * gateway's integration tests, the latency benchmark and the local demo; never by
 * production. Start one with {@link io.tollgate.simulator.ProviderSimulator#start()}.
 */
@NullMarked
package io.tollgate.simulator;

import org.jspecify.annotations.NullMarked;
