package io.tollgate.billing.report;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;

/**
 * A statement as CSV (RFC 4180): a header row, one row per line in the JSON's order, and
 * a total row whose {@code model} is {@value #TOTAL} and whose token kind and unit price
 * are empty. Values are the JSON's, character for character: exact amounts, amounts
 * rounded half-even to the cent, the rounded total computed from the exact total. Rows
 * end with CRLF; a field is quoted when it holds a comma, a double quote, CR or LF, with
 * its double quotes doubled (model names are as the provider reported them, so any of
 * these may occur).
 */
final class StatementCsv {

	/** {@code text/csv} with its charset, as RFC 7111 recommends. */
	static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	static final String TOTAL = "total";

	private static final List<String> HEADER = List.of("model", "token_kind", "usd_per_mtok", "quantity", "amount",
			"amount_rounded", "unpriced");

	private static final String CRLF = "\r\n";

	private StatementCsv() {
	}

	/**
	 * Writes a statement.
	 * @param statement the statement
	 * @return the CSV text
	 */
	static String write(Statement statement) {
		StringBuilder csv = new StringBuilder();
		row(csv, HEADER);
		for (Statement.Line line : statement.lines()) {
			row(csv, List.of(line.model(), line.tokenKind(), line.usdPerMtok(), Long.toString(line.quantity()),
					line.amount(), line.amountRounded(), Boolean.toString(line.unpriced())));
		}
		row(csv, List.of(TOTAL, "", "", Long.toString(statement.totalQuantity()), statement.totalAmount(),
				statement.totalAmountRounded(), Boolean.toString(statement.hasUnpriced())));
		return csv.toString();
	}

	/**
	 * The download's {@code Content-Disposition}: an attachment named
	 * {@code statement-<tenant>-<yyyy-mm>.csv}. Characters of the tenant id that are not
	 * safe in a file name on every platform become {@code _}.
	 * @param statement the statement
	 * @return the header value
	 */
	static ContentDisposition disposition(Statement statement) {
		String tenant = statement.tenantId().replaceAll("[^A-Za-z0-9._-]", "_");
		return ContentDisposition.attachment()
			.filename("statement-" + tenant + "-" + statement.month() + ".csv")
			.build();
	}

	static String field(String value) {
		boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0
				|| value.indexOf('\n') >= 0;
		return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
	}

	private static void row(StringBuilder csv, List<String> fields) {
		for (int i = 0; i < fields.size(); i++) {
			if (i > 0) {
				csv.append(',');
			}
			csv.append(field(fields.get(i)));
		}
		csv.append(CRLF);
	}

}
