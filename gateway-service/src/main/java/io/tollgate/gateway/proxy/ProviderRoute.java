package io.tollgate.gateway.proxy;

import io.tollgate.contract.Endpoint;
import io.tollgate.contract.Provider;
import io.tollgate.gateway.proxy.usage.UsageTap;
import org.jspecify.annotations.Nullable;

/**
 * The provider routes the gateway proxies, with how each is metered.
 */
enum ProviderRoute {

	/** {@code POST /v1/messages}, JSON or SSE. */
	ANTHROPIC_MESSAGES(Provider.ANTHROPIC, Endpoint.MESSAGES, UsageTap.Format.ANTHROPIC_MESSAGES),

	/**
	 * {@code POST /v1/messages/count_tokens}: passed through, not metered (it is free).
	 */
	ANTHROPIC_COUNT_TOKENS(Provider.ANTHROPIC, null, null),

	/**
	 * Message Batches: create, list, retrieve, cancel, delete; metered when results are
	 * read.
	 */
	ANTHROPIC_BATCHES(Provider.ANTHROPIC, null, null),

	/**
	 * {@code GET /v1/messages/batches/{id}/results}: each succeeded result metered once.
	 */
	ANTHROPIC_BATCH_RESULTS(Provider.ANTHROPIC, Endpoint.BATCH, null),

	/** {@code POST /v1/chat/completions}, JSON or SSE. */
	OPENAI_CHAT(Provider.OPENAI, Endpoint.CHAT_COMPLETIONS, UsageTap.Format.OPENAI_CHAT),

	/** {@code POST /v1/responses}, JSON or SSE. */
	OPENAI_RESPONSES(Provider.OPENAI, Endpoint.RESPONSES, UsageTap.Format.OPENAI_RESPONSES),

	/**
	 * {@code POST /v1beta/models/{model}:generateContent} and
	 * {@code :streamGenerateContent}.
	 */
	GEMINI_GENERATE(Provider.GEMINI, Endpoint.GENERATE_CONTENT, UsageTap.Format.GEMINI_GENERATE);

	private final Provider provider;

	private final @Nullable Endpoint endpoint;

	private final UsageTap.@Nullable Format tap;

	ProviderRoute(Provider provider, @Nullable Endpoint endpoint, UsageTap.@Nullable Format tap) {
		this.provider = provider;
		this.endpoint = endpoint;
		this.tap = tap;
	}

	Provider provider() {
		return this.provider;
	}

	@Nullable Endpoint endpoint() {
		return this.endpoint;
	}

	UsageTap.@Nullable Format tap() {
		return this.tap;
	}

}
