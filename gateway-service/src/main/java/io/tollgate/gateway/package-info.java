/**
 * Tollgate's gateway service. The only public entry: proxies model calls to Anthropic,
 * OpenAI and Gemini byte for byte, meters every call, owns tenants' API keys, and
 * forwards tenant and admin API calls to the service that owns them.
 */
@NullMarked
package io.tollgate.gateway;

import org.jspecify.annotations.NullMarked;
