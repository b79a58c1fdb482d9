package io.tollgate.alerting.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.tollgate.alerting.config.AlertingProperties;

import org.springframework.stereotype.Component;

/**
 * Makes and keeps webhook signing secrets. A secret is {@code whsec_} and the base64 of
 * 32 random bytes (Standard Webhooks; at least 24 bytes are required). It is stored
 * encrypted with AES-256-GCM under the service's key, not hashed: signing needs the
 * secret itself. Each ciphertext carries its own random 12-byte nonce in front.
 */
@Component
public class SecretBox {

	/** The prefix of a secret. */
	public static final String PREFIX = "whsec_";

	private static final int NONCE_BYTES = 12;

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	SecretBox(AlertingProperties properties) {
		this.key = new SecretKeySpec(properties.webhooks().secretKeyBytes(), "AES");
	}

	/**
	 * A new secret.
	 * @return {@code whsec_} and base64 of 32 random bytes
	 */
	String newSecret() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		return PREFIX + Base64.getEncoder().encodeToString(bytes);
	}

	byte[] seal(String secret) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(128, nonce));
			byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
			System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
			return out;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every Java platform", ex);
		}
	}

	/**
	 * Opens a stored secret.
	 * @param sealed what {@link #seal} stored
	 * @return the secret
	 * @throws IllegalStateException when it was sealed under another key (the service's
	 * key changed) or was altered
	 */
	public String open(byte[] sealed) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
			return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("A webhook secret cannot be opened with the configured "
					+ "TOLLGATE_ALERTING_SECRET_KEY: it was stored under another key, or altered", ex);
		}
	}

}
