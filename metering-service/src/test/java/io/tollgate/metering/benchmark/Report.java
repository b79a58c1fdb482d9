package io.tollgate.metering.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The run's summary in Markdown, rewritten to disk after every addition so that a run
 * that fails half way still leaves what it measured, and echoed to standard output.
 */
final class Report {

	private final Path file;

	private final StringBuilder text = new StringBuilder();

	Report(Path file) {
		this.file = file;
	}

	Report heading(String heading) {
		return add("\n## " + heading + "\n\n");
	}

	Report line(String format, Object... arguments) {
		return add(String.format(Locale.ROOT, format, arguments) + "\n");
	}

	Report table(List<String> header, List<List<String>> rows) {
		StringBuilder table = new StringBuilder("\n| ").append(String.join(" | ", header)).append(" |\n|");
		header.forEach((column) -> table.append("---|"));
		table.append('\n');
		rows.forEach((row) -> table.append("| ").append(String.join(" | ", row)).append(" |\n"));
		return add(table.append('\n').toString());
	}

	Report code(String code) {
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

	static String count(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	static String decimal(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	static String millis(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

}
