package io.tollgate.simulator;

/**
 * One model call being answered: what the request asked for and what the script says.
 *
 * @param model the model to report (echoed from the request, or Gemini's path)
 * @param script the script, input resolved
 * @param tokens the token counts to report
 * @param includeUsage OpenAI chat {@code stream_options.include_usage}
 */
record Call(String model, Script script, Tokens tokens, boolean includeUsage) {

	String quotedModel() {
		return Json.quote(this.model);
	}

}
