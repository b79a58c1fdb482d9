package io.tollgate.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The form of Tollgate API keys: {@code tg_} followed by 32 random bytes in URL-safe
 * base64 without padding (43 characters). Only a key's SHA-256 digest is stored; a fast
 * digest is safe because the secret has 256 random bits, so nothing short of the key
 * itself finds it.
 */
final class ApiKeys {

	static final String PREFIX = "tg_";

	private static final int SECRET_BYTES = 32;

	private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 6;

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();

	private ApiKeys() {
	}

	static String newSecret() {
		return PREFIX + randomToken(SECRET_BYTES);
	}

	static String newKeyId() {
		return "key_" + randomToken(12);
	}

	static String newTenantId() {
		return "ten_" + randomToken(12);
	}

	/**
	 * Says whether a presented credential has the form of a Tollgate key, so that
	 * provider keys sent by mistake are refused without a lookup.
	 */
	static boolean looksLikeKey(String credential) {
		return credential.startsWith(PREFIX) && credential.length() >= PREFIX.length() + 43
				&& credential.length() <= 200;
	}

	static byte[] hash(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	static String shownPrefix(String secret) {
		return secret.substring(0, SHOWN_PREFIX_LENGTH);
	}

	private static String randomToken(int bytes) {
		byte[] buffer = new byte[bytes];
		random.nextBytes(buffer);
		return base64.encodeToString(buffer);
	}

}
