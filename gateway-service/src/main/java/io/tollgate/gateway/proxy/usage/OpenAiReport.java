package io.tollgate.gateway.proxy.usage;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static io.tollgate.gateway.proxy.usage.PrunedJson.object;
import static io.tollgate.gateway.proxy.usage.PrunedJson.text;

/**
 * What an OpenAI response has reported so far: the latest model, service tier, stop
 * reason and usage object, merged chunk by chunk (Chat Completions) or event by event
 * (Responses). Both APIs carry model, {@code service_tier} and {@code usage} the same way
 * and differ in where the stop reason is and in the names of the token fields
 * ({@code prompt}/{@code completion} against {@code input}/{@code output}).
 */
final class OpenAiReport {

	private final String inputName;

	private final String outputName;

	private @Nullable String model;

	private @Nullable String serviceTier;

	private @Nullable String stopReason;

	private @Nullable JsonNode usage;

	/**
	 * @param inputName the prefix of the API's input token fields
	 * @param outputName the prefix of its output token fields
	 */
	OpenAiReport(String inputName, String outputName) {
		this.inputName = inputName;
		this.outputName = outputName;
	}

	/**
	 * Takes the model, the service tier and the usage object a chunk or response reports.
	 * @param node the chunk or response
	 * @return whether anything changed
	 */
	boolean merge(JsonNode node) {
		boolean changed = false;
		String reportedModel = text(node, "model");
		if (reportedModel != null && !reportedModel.equals(this.model)) {
			this.model = reportedModel;
			changed = true;
		}
		String tier = text(node, "service_tier");
		if (tier != null && !tier.equals(this.serviceTier)) {
			this.serviceTier = tier;
			changed = true;
		}
		JsonNode reported = object(node, "usage");
		if (reported != null) {
			this.usage = reported;
			changed = true;
		}
		return changed;
	}

	/**
	 * Takes a stop reason.
	 * @param reason the reason reported, {@code null} when none
	 * @return whether it changed
	 */
	boolean stopReason(@Nullable String reason) {
		if (reason == null || reason.equals(this.stopReason)) {
			return false;
		}
		this.stopReason = reason;
		return true;
	}

	boolean knowsModel() {
		return this.model != null;
	}

	ExtractedUsage snapshot() {
		return PrunedJson.openAiUsage(this.model, this.usage, this.inputName, this.outputName, this.stopReason,
				this.serviceTier);
	}

}
