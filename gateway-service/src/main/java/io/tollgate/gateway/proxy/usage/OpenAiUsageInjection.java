package io.tollgate.gateway.proxy.usage;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.tollgate.gateway.proxy.usage.JsonSpans.Member;
import io.tollgate.gateway.proxy.usage.JsonSpans.MalformedJsonException;
import io.tollgate.gateway.proxy.usage.JsonSpans.ObjectSpan;

/**
 * The OpenAI {@code include_usage} rewrite. A streamed chat completion reports usage only
 * when the request sets {@code stream_options.include_usage=true}; without it the gateway
 * could not meter the call. So the gateway sets it when the client did not, and then
 * hides the difference from the client with {@link OpenAiUsageChunkFilter}: the client
 * receives exactly the bytes it would have received without the rewrite.
 *
 * <p>
 * Algorithm: the request is edited in place at the byte level ({@link JsonSpans}), never
 * parsed and reserialised, so member order, whitespace, number spelling and escapes stay
 * the client's. Cases, for a top-level object whose (last) {@code "stream"} member is
 * {@code true}:
 * <ul>
 * <li>no {@code stream_options}: {@code ,"stream_options":{"include_usage":true}} is
 * inserted right after the last member's value;</li>
 * <li>{@code "stream_options":null}: the {@code null} is replaced by
 * {@code {"include_usage":true}};</li>
 * <li>{@code stream_options} without {@code include_usage}: {@code "include_usage":true}
 * is added as its last member;</li>
 * <li>{@code include_usage} false or null: that value is replaced by {@code true}.</li>
 * </ul>
 * What may change: only the inserted or replaced bytes, always written compactly (no
 * spaces) whatever the client's formatting. The request is returned untouched (same
 * array) when it is not a streamed request, already sets {@code include_usage} to true,
 * is not well-formed, or has a {@code stream_options}/{@code include_usage} of a type
 * OpenAI would reject (the client gets OpenAI's own error for it, as it would without the
 * gateway).
 */
public final class OpenAiUsageInjection {

	private static final byte[] STREAM_OPTIONS_MEMBER = ",\"stream_options\":{\"include_usage\":true}"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] STREAM_OPTIONS_VALUE = "{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] INCLUDE_USAGE_MEMBER = "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] COMMA = { ',' };

	private OpenAiUsageInjection() {
	}

	/**
	 * The outcome of {@link #rewriteRequest}.
	 *
	 * @param injected whether the gateway set {@code include_usage}: the response stream
	 * must then go through {@link OpenAiUsageChunkFilter#forRewrite}
	 * @param body the request body to send upstream; the very array passed in when not
	 * injected
	 */
	public record RequestRewrite(boolean injected, byte[] body) {
	}

	/**
	 * Sets {@code stream_options.include_usage=true} on a streamed chat completion
	 * request that does not set it.
	 * @param requestJson the client's request body (not modified)
	 * @return whether usage was injected, and the body to send upstream
	 */
	public static RequestRewrite rewriteRequest(byte[] requestJson) {
		try {
			return rewrite(requestJson);
		}
		catch (MalformedJsonException ex) {
			// Not ours to fix: upstream answers the client's malformed request itself.
			return new RequestRewrite(false, requestJson);
		}
	}

	private static RequestRewrite rewrite(byte[] json) {
		ObjectSpan request = JsonSpans.object(json, 0, json.length);
		if (JsonSpans.skipWhitespace(json, request.close() + 1, json.length) != json.length) {
			return untouched(json);
		}
		Member stream = request.last(json, "stream");
		if (stream == null || !JsonSpans.isLiteral(json, stream.valueStart(), stream.valueEnd(), "true")) {
			return untouched(json);
		}
		Member options = request.last(json, "stream_options");
		if (options == null) {
			List<Member> members = request.members();
			int after = members.get(members.size() - 1).valueEnd();
			return injected(json, after, after, STREAM_OPTIONS_MEMBER);
		}
		if (JsonSpans.isLiteral(json, options.valueStart(), options.valueEnd(), "null")) {
			return injected(json, options.valueStart(), options.valueEnd(), STREAM_OPTIONS_VALUE);
		}
		if (json[options.valueStart()] != '{') {
			return untouched(json);
		}
		ObjectSpan optionsObject = JsonSpans.object(json, options.valueStart(), options.valueEnd());
		Member includeUsage = optionsObject.last(json, "include_usage");
		if (includeUsage == null) {
			List<Member> members = optionsObject.members();
			if (members.isEmpty()) {
				int after = optionsObject.open() + 1;
				return injected(json, after, after, INCLUDE_USAGE_MEMBER);
			}
			int after = members.get(members.size() - 1).valueEnd();
			return injected(json, after, after, concat(COMMA, INCLUDE_USAGE_MEMBER));
		}
		int start = includeUsage.valueStart();
		int end = includeUsage.valueEnd();
		if (JsonSpans.isLiteral(json, start, end, "false") || JsonSpans.isLiteral(json, start, end, "null")) {
			return injected(json, start, end, TRUE);
		}
		// true (already asked for), or a value of a type OpenAI rejects.
		return untouched(json);
	}

	private static RequestRewrite untouched(byte[] json) {
		return new RequestRewrite(false, json);
	}

	/** Replaces {@code json[from, to)} by {@code replacement}. */
	private static RequestRewrite injected(byte[] json, int from, int to, byte[] replacement) {
		byte[] edited = new byte[json.length - (to - from) + replacement.length];
		System.arraycopy(json, 0, edited, 0, from);
		System.arraycopy(replacement, 0, edited, from, replacement.length);
		System.arraycopy(json, to, edited, from + replacement.length, json.length - to);
		return new RequestRewrite(true, edited);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = new byte[a.length + b.length];
		System.arraycopy(a, 0, joined, 0, a.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

}
