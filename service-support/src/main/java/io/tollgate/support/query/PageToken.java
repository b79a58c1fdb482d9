package io.tollgate.support.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.tollgate.support.web.ApiException;

/**
 * The opaque {@code page} / {@code next_page} token: base64url of
 * {@code v1.<page start, epoch seconds>.<query id>}, where the query id is a hash of
 * every other parameter of the query that issued it.
 *
 * <p>
 * The token is not signed: all it can choose is where a page starts, inside the range of
 * a query whose tenant the caller was already allowed to read, which {@code starting_at}
 * lets the caller choose anyway. The query id only catches a client that sends a token
 * with different parameters, which would otherwise page through a different query than
 * the one it thinks it is continuing.
 */
public final class PageToken {

	/** The request parameter that carries a token. */
	public static final String PARAM = "page";

	private static final String VERSION = "v1";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private PageToken() {
	}

	/**
	 * Identifies a query by its normalised parameters (page excluded).
	 * @param parts the parameters, in a fixed order, each already normalised
	 * @return a short identifier, safe in a token
	 */
	public static String queryId(List<String> parts) {
		MessageDigest digest = sha256();
		for (String part : parts) {
			byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
			// Length-prefixed, so that no two different parameter lists hash the same
			// text.
			digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
			digest.update(bytes);
		}
		byte[] hash = digest.digest();
		byte[] prefix = new byte[12];
		System.arraycopy(hash, 0, prefix, 0, prefix.length);
		return ENCODER.encodeToString(prefix);
	}

	/**
	 * The token of a page.
	 * @param pageStart where the page starts
	 * @param queryId the id of the query it belongs to
	 * @return the token
	 */
	public static String encode(Instant pageStart, String queryId) {
		String text = VERSION + "." + pageStart.getEpochSecond() + "." + queryId;
		return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Reads a token's page start, checking that the token was issued for this query.
	 * Whether the start lies inside the query's range is for the caller to check.
	 * @param token the token as the client sent it
	 * @param queryId the id of the query the client sends it with
	 * @return the page start, in epoch seconds
	 * @throws ApiException when the token is malformed or belongs to another query
	 */
	public static long decode(String token, String queryId) {
		String text;
		try {
			text = new String(DECODER.decode(token), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw malformed();
		}
		String[] parts = text.split("\\.", -1);
		if (parts.length != 3 || !parts[0].equals(VERSION)) {
			throw malformed();
		}
		long start;
		try {
			start = Long.parseLong(parts[1]);
		}
		catch (NumberFormatException ex) {
			throw malformed();
		}
		if (!parts[2].equals(queryId)) {
			throw ApiException.invalidParameter(PARAM, "page is the next_page of a different query: send it with "
					+ "the same parameters as the request that returned it");
		}
		return start;
	}

	/**
	 * The refusal of a token that this API did not issue.
	 * @return a 400 naming {@value #PARAM}
	 */
	public static ApiException malformed() {
		return ApiException.invalidParameter(PARAM, "page is not a next_page token from this API");
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
