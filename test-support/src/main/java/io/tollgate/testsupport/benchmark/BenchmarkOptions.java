package io.tollgate.testsupport.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A benchmark's command line: a phase, then {@code --name=value} options ({@code --name}
 * alone means {@code true}), and any number of {@code --set=key=value}, the properties of
 * the service under test.
 *
 * @param phase the phase, the first argument
 * @param values the options by name, {@code --set} excepted
 * @param sets the {@code --set} values, in order
 */
public record BenchmarkOptions(String phase, Map<String, String> values, List<String> sets) {

	/**
	 * Parses a command line.
	 * @param args the arguments of {@code main}
	 * @param known the option names the benchmark takes ({@code set} is always known)
	 * @param usage what to say when there is no phase
	 * @return the options
	 * @throws IllegalArgumentException on an unknown option or a malformed one
	 */
	public static BenchmarkOptions parse(String[] args, Set<String> known, String usage) {
		if (args.length == 0) {
			throw new IllegalArgumentException("usage: " + usage);
		}
		Map<String, String> values = new HashMap<>();
		List<String> sets = new ArrayList<>();
		for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("options are --name=value, not " + arg);
			}
			int split = arg.indexOf('=');
			String name = (split < 0) ? arg.substring(2) : arg.substring(2, split);
			String value = (split < 0) ? "true" : arg.substring(split + 1);
			if (name.equals("set")) {
				if (!value.contains("=")) {
					throw new IllegalArgumentException("--set takes key=value, not " + value);
				}
				sets.add(value);
			}
			else if (!known.contains(name)) {
				throw new IllegalArgumentException("unknown option --" + name + "; known: " + new TreeSet<>(known));
			}
			else {
				values.put(name, value);
			}
		}
		return new BenchmarkOptions(args[0], Map.copyOf(values), List.copyOf(sets));
	}

	/**
	 * An option's value.
	 * @param name the option
	 * @param fallback the value when it is not given
	 * @return the value
	 */
	public String value(String name, String fallback) {
		return this.values.getOrDefault(name, fallback);
	}

	/**
	 * Whether a flag is given (and not {@code =false}).
	 * @param name the option
	 * @return whether it is set
	 */
	public boolean flag(String name) {
		return Boolean.parseBoolean(this.values.getOrDefault(name, "false"));
	}

	/**
	 * A whole number; {@code _} and {@code ,} may group digits ({@code 1,000,000}).
	 * @param name the option
	 * @param fallback the value when it is not given
	 * @return the value
	 */
	public long longValue(String name, long fallback) {
		String value = this.values.get(name);
		return (value != null) ? Long.parseLong(value.replace("_", "").replace(",", "")) : fallback;
	}

	/**
	 * A comma-separated list of whole numbers.
	 * @param name the option
	 * @param fallback the list when it is not given
	 * @return the list
	 */
	public List<Integer> ints(String name, List<Integer> fallback) {
		String value = this.values.get(name);
		return (value != null) ? Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList()
				: fallback;
	}

	/**
	 * The producer compression of the load ({@code --compression}, default {@code none}).
	 * @return the compression type
	 */
	public String compression() {
		return value("compression", "none");
	}

	/**
	 * The {@code --set} options as properties, in order (a later one wins).
	 * @return property name to value
	 */
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String set : this.sets) {
			int split = set.indexOf('=');
			properties.put(set.substring(0, split), set.substring(split + 1));
		}
		return properties;
	}

}
