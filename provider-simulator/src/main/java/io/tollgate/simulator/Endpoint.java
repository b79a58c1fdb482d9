package io.tollgate.simulator;

import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/** The simulated routes, and which provider's shapes each one answers in. */
enum Endpoint {

	MESSAGES(Provider.ANTHROPIC), COUNT_TOKENS(Provider.ANTHROPIC), BATCH_CREATE(Provider.ANTHROPIC),
	BATCH_RETRIEVE(Provider.ANTHROPIC), BATCH_CANCEL(Provider.ANTHROPIC), BATCH_RESULTS(Provider.ANTHROPIC),
	CHAT_COMPLETIONS(Provider.OPENAI), RESPONSES(Provider.OPENAI), GENERATE_CONTENT(Provider.GEMINI),
	STREAM_GENERATE_CONTENT(Provider.GEMINI);

	private static final String BATCHES = "/v1/messages/batches";

	private static final String GEMINI_MODELS = "/v1beta/models/";

	final Provider provider;

	Endpoint(Provider provider) {
		this.provider = provider;
	}

	/** Model calls carry a JSON body the simulator reads. */
	boolean readsBody() {
		return this == MESSAGES || this == COUNT_TOKENS || this == CHAT_COMPLETIONS || this == RESPONSES
				|| this == GENERATE_CONTENT || this == STREAM_GENERATE_CONTENT;
	}

	/** Anthropic and OpenAI take the model from the body; Gemini from the path. */
	boolean needsModel() {
		return this.provider != Provider.GEMINI && readsBody();
	}

	/**
	 * A matched route.
	 *
	 * @param endpoint the endpoint
	 * @param parameter the batch id or the Gemini model, else empty
	 */
	record Route(Endpoint endpoint, String parameter) {
	}

	static @Nullable Route match(HttpMethod method, String path) {
		boolean post = HttpMethod.POST.equals(method);
		boolean get = HttpMethod.GET.equals(method);
		switch (path) {
			case "/v1/messages" -> {
				return post ? new Route(MESSAGES, "") : null;
			}
			case "/v1/messages/count_tokens" -> {
				return post ? new Route(COUNT_TOKENS, "") : null;
			}
			case BATCHES -> {
				return post ? new Route(BATCH_CREATE, "") : null;
			}
			case "/v1/chat/completions" -> {
				return post ? new Route(CHAT_COMPLETIONS, "") : null;
			}
			case "/v1/responses" -> {
				return post ? new Route(RESPONSES, "") : null;
			}
			default -> {
				return matchParameterised(post, get, path);
			}
		}
	}

	private static @Nullable Route matchParameterised(boolean post, boolean get, String path) {
		if (path.startsWith(BATCHES + "/")) {
			String rest = path.substring(BATCHES.length() + 1);
			int slash = rest.indexOf('/');
			if (slash < 0) {
				return (get && !rest.isEmpty()) ? new Route(BATCH_RETRIEVE, rest) : null;
			}
			String id = rest.substring(0, slash);
			String action = rest.substring(slash + 1);
			if (post && "cancel".equals(action)) {
				return new Route(BATCH_CANCEL, id);
			}
			return (get && "results".equals(action)) ? new Route(BATCH_RESULTS, id) : null;
		}
		if (post && path.startsWith(GEMINI_MODELS)) {
			String rest = path.substring(GEMINI_MODELS.length());
			int colon = rest.lastIndexOf(':');
			if (colon <= 0 || rest.indexOf('/') >= 0) {
				return null;
			}
			String model = rest.substring(0, colon);
			return switch (rest.substring(colon + 1)) {
				case "generateContent" -> new Route(GENERATE_CONTENT, model);
				case "streamGenerateContent" -> new Route(STREAM_GENERATE_CONTENT, model);
				default -> null;
			};
		}
		return null;
	}

	/** Whose error shape an unknown path gets, judged by its prefix. */
	static Provider providerOf(String path) {
		if (path.startsWith("/v1beta/")) {
			return Provider.GEMINI;
		}
		return path.startsWith("/v1/messages") ? Provider.ANTHROPIC : Provider.OPENAI;
	}

	/** The three wire dialects. */
	enum Provider {

		ANTHROPIC, OPENAI, GEMINI;

		Reply error(ScriptedError error) {
			return switch (this) {
				case ANTHROPIC -> AnthropicWire.error(error);
				case OPENAI -> OpenAiWire.error(error);
				case GEMINI -> GeminiWire.error(error);
			};
		}

	}

}
