/**
 * Keys paused at the gateway: every instance follows alerting's pause and resume
 * decisions on the compacted key-controls topic, is not ready before it has read them
 * all, and refuses a paused key's model calls and usage ingest with a 429 that says why
 * and until when.
 */
@NullMarked
package io.tollgate.gateway.keycontrol;

import org.jspecify.annotations.NullMarked;
