package io.tollgate.contract;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Event ids as the contract wants them: UUIDs in canonical lower-case form, version 7
 * when a Tollgate source assigns them.
 */
public final class EventIds {

	// Lower case only: the id is the idempotency key, and two spellings of one UUID
	// must not pass as two events.
	static final Pattern CANONICAL_UUID = Pattern
		.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

	// A collision would make deduplication drop a real call, so the random bits come
	// from a generator no two gateway instances can share a seed with.
	private static final SecureRandom RANDOM = new SecureRandom();

	private EventIds() {
	}

	/**
	 * A new UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort
	 * by creation time, which keeps the deduplication indexes of the services
	 * append-mostly.
	 * @return a new id in canonical lower-case form
	 */
	public static String uuidV7() {
		return uuidV7(Clock.systemUTC());
	}

	/**
	 * A new UUIDv7 whose time comes from the given clock.
	 * @param clock the clock
	 * @return a new id in canonical lower-case form
	 */
	public static String uuidV7(Clock clock) {
		long millis = clock.millis();
		long randA = RANDOM.nextLong();
		long randB = RANDOM.nextLong();
		long most = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
		long least = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

	/**
	 * Whether a string is a UUID in canonical lower-case form, as {@code event_id} must
	 * be.
	 * @param id the candidate
	 * @return {@code true} when acceptable
	 */
	public static boolean isCanonicalUuid(String id) {
		// By hand: every consumed event's id goes through here (same language as
		// CANONICAL_UUID, which the JSON Schemas use).
		if (id.length() != 36) {
			return false;
		}
		for (int i = 0; i < 36; i++) {
			char c = id.charAt(i);
			boolean valid = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-'
					: (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
			if (!valid) {
				return false;
			}
		}
		return true;
	}

}
