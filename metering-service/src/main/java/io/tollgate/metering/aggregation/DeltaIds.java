package io.tollgate.metering.aggregation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;

import io.tollgate.support.kafka.PartitionRange;

/**
 * Deterministic ids for metered-usage deltas.
 *
 * <p>
 * A delta's id is a UUID (version 8, RFC 9562) made of the first 122 bits of the SHA-256
 * of the consumed offset ranges and the bucket's dimensions. The same input records
 * always give the same ids, so billing can deduplicate a delta whatever path it took;
 * different batches or buckets never share one.
 */
final class DeltaIds {

	private DeltaIds() {
	}

	static String of(List<PartitionRange> ranges, AggregateKey key) {
		StringBuilder name = new StringBuilder(160).append("tollgate.metering.delta");
		for (PartitionRange range : ranges) {
			name.append('|')
				.append(range.topic())
				.append('/')
				.append(range.partition())
				.append('@')
				.append(range.firstOffset())
				.append('-')
				.append(range.nextOffset());
		}
		name.append('|')
			.append(key.tenantId())
			.append('|')
			.append(key.apiKeyId())
			.append('|')
			.append(key.provider().wire())
			.append('|')
			.append(key.model())
			.append('|')
			.append(key.serviceTier().wire())
			.append('|')
			.append(key.contextTier().wire())
			.append('|')
			.append(key.bucketStart().getEpochSecond());
		ByteBuffer hash = ByteBuffer.wrap(sha256(name.toString().getBytes(StandardCharsets.UTF_8)));
		long high = (hash.getLong() & ~0xF000L) | 0x8000L;
		long low = (hash.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

	private static byte[] sha256(byte[] input) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(input);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

}
