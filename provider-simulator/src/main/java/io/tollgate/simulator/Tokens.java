package io.tollgate.simulator;

/**
 * A script's counts with the input resolved for one request.
 *
 * @param input uncached input tokens
 * @param output output tokens, reasoning included
 * @param cacheWrite5m cache writes with the 5 minute TTL
 * @param cacheWrite1h cache writes with the 1 hour TTL
 * @param cacheRead cache reads
 * @param reasoning reasoning tokens (part of output)
 * @param webSearch web search requests
 * @param webFetch web fetch requests
 */
record Tokens(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, long reasoning,
		int webSearch, int webFetch) {

	static Tokens of(Script script, int bodyLength) {
		return new Tokens(script.resolvedInputTokens(bodyLength), script.outputTokens(), script.cacheWrite5m(),
				script.cacheWrite1h(), script.cacheRead(), script.reasoningTokens(), script.webSearchRequests(),
				script.webFetchRequests());
	}

	long cacheWrites() {
		return this.cacheWrite5m + this.cacheWrite1h;
	}

	/** Input as OpenAI and Gemini count it: cached (and written) tokens included. */
	long inputWithCache() {
		return this.input + this.cacheRead + cacheWrites();
	}

}
