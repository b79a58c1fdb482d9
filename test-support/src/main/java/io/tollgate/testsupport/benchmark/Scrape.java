package io.tollgate.testsupport.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Prometheus scrape of a service, read just enough to take differences between two
 * scrapes.
 *
 * @param text the scrape as the service returned it
 * @param samples each sample's value, by its name with labels
 */
public record Scrape(String text, Map<String, Double> samples) {

	/** A scrape with no samples: the baseline of a counter that started at zero. */
	public static final Scrape EMPTY = parse("");

	/**
	 * Reads a scrape in the Prometheus text format.
	 * @param text the scrape
	 * @return its samples
	 */
	public static Scrape parse(String text) {
		Map<String, Double> samples = new LinkedHashMap<>();
		text.lines().filter((line) -> !line.isBlank() && !line.startsWith("#")).forEach((line) -> {
			int split = line.lastIndexOf(' ');
			try {
				samples.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
			}
			catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
				// Not a sample line; nothing a benchmark reads.
			}
		});
		return new Scrape(text, samples);
	}

	/**
	 * The sum of every sample of a metric whose labels contain the given text.
	 * @param name the metric name, e.g. {@code tollgate_metering_batch_seconds_count}
	 * @param labels text the label set must contain, e.g. {@code result="counted"}, or
	 * empty
	 * @return the sum, 0 when there is no such sample
	 */
	public double sum(String name, String labels) {
		double sum = 0;
		for (Map.Entry<String, Double> sample : this.samples.entrySet()) {
			String key = sample.getKey();
			boolean named = key.equals(name) || key.startsWith(name + "{");
			if (named && key.contains(labels)) {
				sum += sample.getValue();
			}
		}
		return sum;
	}

	/**
	 * How much a counter grew since an earlier scrape.
	 * @param before the earlier scrape ({@link #EMPTY} for the service's start)
	 * @param name the metric name
	 * @param labels text the label set must contain, or empty
	 * @return this scrape's {@link #sum} minus the earlier one's
	 */
	public double since(Scrape before, String name, String labels) {
		return sum(name, labels) - before.sum(name, labels);
	}

	/**
	 * Describes a Micrometer timer of batches published with the 0.5 and 0.99
	 * percentiles: how many since an earlier scrape, their mean time and size, and the
	 * percentiles and maximum of the timer's recent window.
	 * @param before the earlier scrape
	 * @param timer the timer's Prometheus name, e.g.
	 * {@code tollgate_billing_batch_seconds}
	 * @param items the items the batches held since the earlier scrape, e.g. deltas
	 * @param unit the items' name, plural
	 * @return the description, e.g. {@code 812 batches, mean 95 ms, 1,231 deltas per
	 * batch; p50 ...}
	 */
	public String describeBatches(Scrape before, String timer, double items, String unit) {
		double batches = since(before, timer + "_count", "");
		double seconds = since(before, timer + "_sum", "");
		return String.format(java.util.Locale.ROOT,
				"%s batches, mean %.0f ms, %s %s per batch; p50 %.0f ms, p99 %.0f ms, max %.0f ms (recent window "
						+ "at the end)",
				Report.count(batches), (batches > 0) ? seconds / batches * 1000 : 0,
				Report.count((batches > 0) ? items / batches : 0), unit, sum(timer, "quantile=\"0.5\"") * 1000,
				sum(timer, "quantile=\"0.99\"") * 1000, sum(timer + "_max", "") * 1000);
	}

}
