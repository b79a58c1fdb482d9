package io.tollgate.testsupport.benchmark;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The tenants and keys of the benchmarks' load, the same in every benchmark so that their
 * results compare: 200 tenants of skewed size (Zipf, exponent 0.8: the largest has about
 * a tenth of the traffic, the median a fifth of a percent), 5 keys each of fixed shares.
 * Tenant ids are {@code ten_b<rank>}, key ids {@code key_b<rank><key>}.
 */
public final class Tenants {

	/** How many tenants. */
	public static final int COUNT = 200;

	/** Keys per tenant. */
	public static final int KEYS_PER_TENANT = 5;

	/** The Zipf exponent of the tenants' sizes. */
	public static final double SKEW = 0.8;

	private static final double[] KEY_WEIGHTS = { 0.40, 0.25, 0.15, 0.12, 0.08 };

	private final List<String> ids = IntStream.range(0, COUNT)
		.mapToObj((rank) -> String.format("ten_b%011d", rank))
		.toList();

	private final WeightedChoice tenants = WeightedChoice.zipf(COUNT, SKEW);

	private final WeightedChoice keys = new WeightedChoice(KEY_WEIGHTS);

	/**
	 * The tenant ids, largest first.
	 * @return the ids
	 */
	public List<String> ids() {
		return this.ids;
	}

	/**
	 * A tenant's id.
	 * @param rank the tenant's rank, 0 the largest
	 * @return its id
	 */
	public String id(int rank) {
		return this.ids.get(rank);
	}

	/**
	 * The rank of the median tenant.
	 * @return the rank
	 */
	public int median() {
		return COUNT / 2;
	}

	/**
	 * A key's id.
	 * @param rank the tenant's rank
	 * @param key the key's index within the tenant
	 * @return its id
	 */
	public String keyId(int rank, int key) {
		return String.format("key_b%07d%04d", rank, key);
	}

	/**
	 * Picks a tenant by its share of the traffic.
	 * @param random the source of randomness
	 * @return the tenant's rank
	 */
	public int pickTenant(SplittableRandom random) {
		return this.tenants.pick(random);
	}

	/**
	 * Picks one of a tenant's keys by its share.
	 * @param random the source of randomness
	 * @return the key's index within the tenant
	 */
	public int pickKey(SplittableRandom random) {
		return this.keys.pick(random);
	}

	/**
	 * The share of the traffic a tenant gets.
	 * @param rank the tenant's rank
	 * @return from 0 to 1
	 */
	public double share(int rank) {
		return this.tenants.share(rank);
	}

	/**
	 * The share of records each partition of a topic keyed by tenant gets.
	 * @param partitions the topic's partition count
	 * @return the shares, in percent
	 */
	public List<String> partitionShares(int partitions) {
		return this.tenants.partitionShares(this.ids, partitions);
	}

	/**
	 * Adds the tenants and keys to a load's description.
	 * @param description the description, item to text
	 * @param records what the load's records are, plural, e.g. {@code events}
	 */
	public void describe(Map<String, String> description, String records) {
		description.put("tenants",
				String.format(java.util.Locale.ROOT, "%d (Zipf exponent %s: largest %.1f %% of %s, median %.1f %%)",
						COUNT, SKEW, share(0) * 100, records, share(median()) * 100));
		description.put("keys", KEYS_PER_TENANT + " per tenant (shares " + Arrays.toString(KEY_WEIGHTS) + ")");
	}

}
