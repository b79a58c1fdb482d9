package io.tollgate.testsupport.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A run's summary in Markdown, rewritten to disk after every addition so that a run that
 * fails half way still leaves what it measured, and echoed to standard output. The number
 * formats are the ones docs/benchmarks.md uses.
 */
public final class Report {

	private final Path file;

	private final StringBuilder text = new StringBuilder();

	/**
	 * Creates an empty report.
	 * @param file where it is written
	 */
	public Report(Path file) {
		this.file = file;
	}

	/**
	 * Adds a second-level heading.
	 * @param heading its text
	 * @return this report
	 */
	public Report heading(String heading) {
		return add("\n## " + heading + "\n\n");
	}

	/**
	 * Adds a line ({@link String#format} in the root locale).
	 * @param format the format
	 * @param arguments its arguments
	 * @return this report
	 */
	public Report line(String format, Object... arguments) {
		return add(String.format(Locale.ROOT, format, arguments) + "\n");
	}

	/**
	 * Adds a table.
	 * @param header the column names
	 * @param rows the rows, as many cells each as the header
	 * @return this report
	 */
	public Report table(List<String> header, List<List<String>> rows) {
		StringBuilder table = new StringBuilder("\n| ").append(String.join(" | ", header)).append(" |\n|");
		header.forEach((column) -> table.append("---|"));
		table.append('\n');
		rows.forEach((row) -> table.append("| ").append(String.join(" | ", row)).append(" |\n"));
		return add(table.append('\n').toString());
	}

	/**
	 * Adds a code block.
	 * @param code its text
	 * @return this report
	 */
	public Report code(String code) {
		return add("\n```\n" + code.stripTrailing() + "\n```\n");
	}

	private Report add(String addition) {
		this.text.append(addition);
		System.out.print(addition);
		try {
			Files.writeString(this.file, this.text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	/**
	 * A whole number with thousands separators.
	 * @param value the number, rounded
	 * @return e.g. {@code 46,156}
	 */
	public static String count(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	/**
	 * One decimal.
	 * @param value the number
	 * @return e.g. {@code 12.3}
	 */
	public static String decimal(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/**
	 * Two decimals, for milliseconds.
	 * @param value the number
	 * @return e.g. {@code 2.31}
	 */
	public static String millis(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	/**
	 * Bytes in MiB, as a whole number.
	 * @param bytes the size
	 * @return e.g. {@code 3,612}
	 */
	public static String mib(long bytes) {
		return count(bytes / 1048576.0);
	}

}
