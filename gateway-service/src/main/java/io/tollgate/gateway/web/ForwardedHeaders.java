package io.tollgate.gateway.web;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;

/**
 * Which headers cross the gateway when it forwards a request, to a provider or to one of
 * Tollgate's services. Hop-by-hop headers (RFC 9110 section 7.6.1, and any the
 * {@code Connection} header names) never do. Neither do the caller's credentials, which
 * the gateway replaces with its own, nor {@code x-tollgate-*} headers, which only the
 * gateway may set, so that a client cannot pose as another tenant to a service behind it.
 */
public final class ForwardedHeaders {

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
			"proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

	private static final Set<String> CREDENTIALS = Set.of("x-api-key", "authorization", "x-goog-api-key");

	private ForwardedHeaders() {
	}

	/**
	 * Copies a client's request headers to the request the gateway sends on.
	 * @param incoming the client's headers
	 * @param outgoing the forwarded request's headers
	 */
	public static void copyRequest(HttpHeaders incoming, HttpHeaders outgoing) {
		Set<String> named = connectionTokens(incoming);
		incoming.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (!HOP_BY_HOP.contains(lower) && !CREDENTIALS.contains(lower) && !named.contains(lower)
					&& !lower.startsWith("x-tollgate-")) {
				outgoing.addAll(name, values);
			}
		});
	}

	/**
	 * Copies a forwarded response's headers to the client's response.
	 * @param upstream the headers received
	 * @param downstream the client's response headers
	 * @param bodyChanged whether the gateway changes the body, so its length no longer
	 * holds
	 */
	public static void copyResponse(HttpHeaders upstream, HttpHeaders downstream, boolean bodyChanged) {
		Set<String> named = connectionTokens(upstream);
		upstream.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (!HOP_BY_HOP.contains(lower) && !named.contains(lower)
					&& !(bodyChanged && lower.equals("content-length"))) {
				downstream.put(name, values);
			}
		});
	}

	private static Set<String> connectionTokens(HttpHeaders headers) {
		List<String> connection = headers.get(HttpHeaders.CONNECTION);
		if (connection == null) {
			return Set.of();
		}
		return connection.stream()
			.flatMap((value) -> Arrays.stream(value.split(",")))
			.map((token) -> token.strip().toLowerCase(Locale.ROOT))
			.filter((token) -> !token.isEmpty())
			.collect(Collectors.toSet());
	}

}
