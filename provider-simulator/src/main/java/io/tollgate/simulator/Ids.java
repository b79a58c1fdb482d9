package io.tollgate.simulator;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers in the providers' styles. Real ids are unique per response, and the
 * gateway may use them (request ids in logs, response ids in usage events), so the
 * simulator never repeats a fixed one.
 */
final class Ids {

	private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Ids() {
	}

	static String base62(String prefix, int length) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
		for (int i = 0; i < length; i++) {
			id.append(BASE62[random.nextInt(BASE62.length)]);
		}
		return id.toString();
	}

	static String hex(String prefix, int length) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
		for (int i = 0; i < length; i++) {
			id.append(HEX[random.nextInt(16)]);
		}
		return id.toString();
	}

	static String anthropicRequestId() {
		return base62("req_", 24);
	}

}
