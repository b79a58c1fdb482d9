package io.tollgate.alerting.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook messages the Standard Webhooks way: the signature of a message is
 * {@code v1,} and the base64 of HMAC-SHA256 over {@code id.timestamp.body}, keyed with
 * the base64-decoded part of the {@code whsec_} secret; with several secrets (during a
 * rotation) the header lists one signature per secret, space-separated, and a receiver
 * accepts the message when any one matches.
 */
final class WebhookSigner {

	private static final String PREFIX = "whsec_";

	private WebhookSigner() {
	}

	/**
	 * The {@code webhook-signature} header of a message.
	 * @param id the {@code webhook-id}
	 * @param timestamp the {@code webhook-timestamp}, seconds since the epoch
	 * @param body the exact body sent
	 * @param secrets the secrets to sign with, current first
	 * @return the header value
	 */
	static String signature(String id, long timestamp, String body, List<String> secrets) {
		List<String> signatures = new ArrayList<>(secrets.size());
		byte[] content = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
		for (String secret : secrets) {
			signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(key(secret), content)));
		}
		return String.join(" ", signatures);
	}

	private static byte[] key(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		return Base64.getDecoder().decode(encoded);
	}

	private static byte[] hmac(byte[] key, byte[] content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(content);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java platform", ex);
		}
	}

}
