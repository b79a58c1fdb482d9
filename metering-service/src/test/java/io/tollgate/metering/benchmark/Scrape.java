package io.tollgate.metering.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Prometheus scrape of the service, read just enough to take differences between two
 * scrapes.
 *
 * @param text the scrape as the service returned it
 * @param samples each sample's value, by its name with labels
 */
record Scrape(String text, Map<String, Double> samples) {

	static Scrape parse(String text) {
		Map<String, Double> samples = new LinkedHashMap<>();
		text.lines().filter((line) -> !line.isBlank() && !line.startsWith("#")).forEach((line) -> {
			int split = line.lastIndexOf(' ');
			try {
				samples.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
			}
			catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
				// Not a sample line; nothing the benchmark reads.
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
	double sum(String name, String labels) {
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

}
