package io.tollgate.testsupport.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.common.utils.Utils;

/**
 * A random choice among items of given weights, by binary search over the cumulative
 * distribution; used to pick tenants (Zipf), keys and models of a benchmark's load.
 */
public final class WeightedChoice {

	private final double[] cdf;

	/**
	 * Creates a choice.
	 * @param weights the items' weights, any positive scale
	 */
	public WeightedChoice(double[] weights) {
		double total = Arrays.stream(weights).sum();
		this.cdf = new double[weights.length];
		double running = 0;
		for (int i = 0; i < weights.length; i++) {
			running += weights[i] / total;
			this.cdf[i] = running;
		}
		this.cdf[this.cdf.length - 1] = 1.0;
	}

	/**
	 * A Zipf distribution: item {@code i} (from 0) weighs {@code 1 / (i + 1)^exponent}.
	 * @param items how many items
	 * @param exponent the skew, e.g. 0.8
	 * @return the choice, item 0 the largest
	 */
	public static WeightedChoice zipf(int items, double exponent) {
		double[] weights = new double[items];
		for (int i = 0; i < items; i++) {
			weights[i] = 1.0 / Math.pow(i + 1, exponent);
		}
		return new WeightedChoice(weights);
	}

	/**
	 * Picks an item.
	 * @param random the source of randomness
	 * @return the item's index
	 */
	public int pick(SplittableRandom random) {
		int found = Arrays.binarySearch(this.cdf, random.nextDouble());
		int index = (found >= 0) ? found : -found - 1;
		return Math.min(index, this.cdf.length - 1);
	}

	/**
	 * The share of picks an item gets.
	 * @param index the item
	 * @return from 0 to 1
	 */
	public double share(int index) {
		return this.cdf[index] - ((index > 0) ? this.cdf[index - 1] : 0);
	}

	/**
	 * How many items there are.
	 * @return the count
	 */
	public int size() {
		return this.cdf.length;
	}

	/**
	 * The share of records each partition of a topic gets when the items are the record
	 * keys, with Kafka's default partitioner: a large key makes its partition (and the
	 * consumer owning it) busier than the others.
	 * @param keys the record key of each item
	 * @param partitions the topic's partition count
	 * @return the share per partition, in percent
	 */
	public List<String> partitionShares(List<String> keys, int partitions) {
		double[] shares = new double[partitions];
		for (int i = 0; i < keys.size(); i++) {
			byte[] key = keys.get(i).getBytes(StandardCharsets.UTF_8);
			shares[Utils.toPositive(Utils.murmur2(key)) % partitions] += share(i);
		}
		return Arrays.stream(shares).mapToObj((share) -> Report.decimal(share * 100)).toList();
	}

}
