package io.tollgate.contract;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTests {

	@Test
	void generatesCanonicalVersion7Uuids() {
		String id = EventIds.uuidV7();
		UUID uuid = UUID.fromString(id);

		assertThat(EventIds.isCanonicalUuid(id)).isTrue();
		assertThat(uuid.version()).isEqualTo(7);
		assertThat(uuid.variant()).isEqualTo(2);
	}

	@Test
	void carriesTheCreationTimeInTheFirst48Bits() {
		Instant now = Instant.parse("2025-06-01T12:00:00.123Z");

		UUID uuid = UUID.fromString(EventIds.uuidV7(Clock.fixed(now, ZoneOffset.UTC)));

		assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
	}

	@Test
	void sortsByCreationTime() {
		String earlier = EventIds.uuidV7(Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));
		String later = EventIds.uuidV7(Clock.fixed(Instant.parse("2025-06-01T12:00:00.001Z"), ZoneOffset.UTC));

		assertThat(earlier).isLessThan(later);
	}

	@Test
	void doesNotRepeat() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			ids.add(EventIds.uuidV7());
		}
		assertThat(ids).hasSize(10_000);
	}

	@Test
	void acceptsOnlyTheCanonicalLowerCaseForm() {
		assertThat(EventIds.isCanonicalUuid(UUID.randomUUID().toString())).isTrue();
		assertThat(EventIds.isCanonicalUuid(Samples.EVENT_ID.toUpperCase())).isFalse();
		assertThat(EventIds.isCanonicalUuid(Samples.EVENT_ID.replace("-", ""))).isFalse();
	}

	@Test
	void canonicalUuidCheckAgreesWithTheSchemaPattern() {
		java.util.SplittableRandom random = new java.util.SplittableRandom(36);
		String alphabet = "0123456789abcdefABCDEF-g xz";
		for (int i = 0; i < 20_000; i++) {
			char[] id = UUID.randomUUID().toString().toCharArray();
			int mutations = random.nextInt(0, 3);
			for (int m = 0; m < mutations; m++) {
				id[random.nextInt(id.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
			}
			String candidate = random.nextInt(50) == 0 ? new String(id) + "0" : new String(id);
			assertThat(EventIds.isCanonicalUuid(candidate)).as(candidate)
				.isEqualTo(EventIds.CANONICAL_UUID.matcher(candidate).matches());
		}
	}

}
