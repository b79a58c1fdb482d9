package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class StatementCsvTests {

	@Test
	void writesAHeaderOneRowPerLineAndATotalRow() {
		Statement statement = Statement.of("tenant-a", StatementMonth.parse("2026-10"),
				List.of(row("claude-haiku-4-5", "input", "1", false, 125_000, "0.125"),
						row("claude-haiku-4-5", "output", "5", false, 27_000, "0.135"),
						row("mystery-model", "input", "15", true, 1_000, "0.015")),
				Instant.parse("2026-11-23T12:00:00Z"));
		assertThat(StatementCsv.write(statement))
			.isEqualTo("model,token_kind,usd_per_mtok,quantity,amount,amount_rounded,unpriced\r\n"
					+ "claude-haiku-4-5,input,1.00,125000,0.125,0.12,false\r\n"
					+ "claude-haiku-4-5,output,5.00,27000,0.135,0.14,false\r\n"
					+ "mystery-model,input,15.00,1000,0.015,0.02,true\r\n" + "total,,,153000,0.275,0.28,true\r\n");
	}

	@Test
	void writesAnEmptyStatementAsHeaderAndTotal() {
		Statement statement = Statement.of("tenant-a", StatementMonth.parse("2026-10"), List.of(),
				Instant.parse("2026-11-23T12:00:00Z"));
		assertThat(StatementCsv.write(statement))
			.isEqualTo("model,token_kind,usd_per_mtok,quantity,amount,amount_rounded,unpriced\r\n"
					+ "total,,,0,0.00,0.00,false\r\n");
	}

	@Test
	void quotesFieldsAsRfc4180Says() {
		assertThat(StatementCsv.field("plain-model_1.5")).isEqualTo("plain-model_1.5");
		assertThat(StatementCsv.field("a,b")).isEqualTo("\"a,b\"");
		assertThat(StatementCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
		assertThat(StatementCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
		assertThat(StatementCsv.field("cr\r")).isEqualTo("\"cr\r\"");
		assertThat(StatementCsv.field("")).isEmpty();
		Statement statement = Statement.of("tenant-a", StatementMonth.parse("2026-10"),
				List.of(row("odd,\"model\"", "input", "1", true, 1_000_000, "1")),
				Instant.parse("2026-11-23T12:00:00Z"));
		assertThat(StatementCsv.write(statement))
			.contains("\r\n\"odd,\"\"model\"\"\",input,1.00,1000000,1.00,1.00,true\r\n");
	}

	@Test
	void namesTheDownloadAfterTenantAndMonth() {
		Statement statement = Statement.of("acme-prod", StatementMonth.parse("2026-10"), List.of(),
				Instant.parse("2026-11-23T12:00:00Z"));
		assertThat(StatementCsv.disposition(statement).toString())
			.isEqualTo("attachment; filename=\"statement-acme-prod-2026-10.csv\"");
		Statement odd = Statement.of("a/b \"c\"", StatementMonth.parse("2026-10"), List.of(),
				Instant.parse("2026-11-23T12:00:00Z"));
		assertThat(StatementCsv.disposition(odd).toString())
			.isEqualTo("attachment; filename=\"statement-a_b__c_-2026-10.csv\"");
	}

	@Test
	void choosesCsvOnlyWhenTheClientPrefersIt() {
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("text/csv"))).isTrue();
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("text/*"))).isTrue();
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("text/csv, application/json"))).isTrue();
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("application/json;q=0.5, text/csv")))
			.isTrue();
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("application/json, text/csv"))).isFalse();
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("text/csv;q=0.2, */*"))).isFalse();
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("*/*"))).isFalse();
		assertThat(StatementController.prefersCsv(MediaType.parseMediaTypes("text/csv;q=0, text/html"))).isFalse();
		assertThat(StatementController.prefersCsv(List.of())).isFalse();
	}

	private static StatementRow row(String model, String kind, String price, boolean unpriced, long quantity,
			String amount) {
		return new StatementRow(model, kind, new BigDecimal(price), unpriced, quantity, new BigDecimal(amount));
	}

}
