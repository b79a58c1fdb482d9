package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A request as the simulator received it, so that gateway tests can check that the bytes
 * arrived unchanged and that the gateway added the provider's credentials.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the path with the query string, e.g.
 * {@code /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=...}
 * @param headers the headers by lower-case name, each with all its values in arrival
 * order
 * @param body the body bytes exactly as received (empty when there was none)
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {

	public RecordedRequest {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		headers = Collections.unmodifiableMap(copy);
		body = body.clone();
	}

	/**
	 * The body bytes exactly as received.
	 * @return a copy of the body
	 */
	@Override
	public byte[] body() {
		return this.body.clone();
	}

	/**
	 * The body decoded as UTF-8.
	 * @return the body text
	 */
	public String bodyAsString() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	/**
	 * The first value of a header.
	 * @param name the header name, in any case
	 * @return the first value, or {@code null} if the header is absent
	 */
	public @Nullable String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values != null && !values.isEmpty()) ? values.getFirst() : null;
	}

	/**
	 * All values of a header.
	 * @param name the header name, in any case
	 * @return the values in arrival order, empty if the header is absent
	 */
	public List<String> headerValues(String name) {
		return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof RecordedRequest that) && this.method.equals(that.method) && this.path.equals(that.path)
				&& this.headers.equals(that.headers) && Arrays.equals(this.body, that.body);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * (31 * this.method.hashCode() + this.path.hashCode()) + this.headers.hashCode())
				+ Arrays.hashCode(this.body);
	}

	@Override
	public String toString() {
		return "RecordedRequest[" + this.method + " " + this.path + ", " + this.body.length + " body bytes]";
	}

}
