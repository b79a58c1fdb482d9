package io.tollgate.billing.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import io.tollgate.contract.BucketWidth;
import io.tollgate.contract.SpendUpdate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the reports from {@code spend_hour}, the hourly spend the ledger maintains in the
 * same transaction as its entries; never from {@code ledger_entries}. Each query is one
 * range of the table's primary key, which starts with (tenant, hour): a page of
 * {@code GET /v1/spend} reads at most 744 hours of one tenant, a statement one month.
 *
 * <p>
 * Corrections are rows with a negative quantity and amount at the old price and positive
 * ones at the new, so sums are net of them; a group whose quantity and amount both net to
 * zero has been corrected away and is left out. A result is unpriced when its unpriced
 * rows do not net to zero. Day buckets are UTC days. Column names come only from
 * {@link SpendGroupBy}; everything the client sends is a bind parameter.
 */
@Repository
class ReportStore {

	private static final String SUMS = """
			sum(quantity)::bigint AS quantity, sum(amount) AS amount,
			(coalesce(sum(quantity) FILTER (WHERE unpriced), 0) <> 0
				OR coalesce(sum(amount) FILTER (WHERE unpriced), 0) <> 0) AS unpriced""";

	private static final String STATEMENT = """
			SELECT model, token_kind, usd_per_mtok, unpriced, sum(quantity)::bigint AS quantity, sum(amount) AS amount
			FROM spend_hour
			WHERE tenant_id = :tenant AND bucket_start >= :from AND bucket_start < :to
			GROUP BY model, token_kind, usd_per_mtok, unpriced""";

	private final DatabaseClient db;

	ReportStore(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * The rows of the query's current page, ordered by bucket and then by the grouped
	 * dimensions.
	 * @param query the query
	 * @return one row per bucket and group whose spend did not net to zero
	 */
	Flux<SpendRow> page(SpendQuery query) {
		List<SpendGroupBy> groupBy = query.groupBy();
		String keys = groupBy.stream().map((group) -> ", " + group.column()).collect(Collectors.joining());
		String sql = "SELECT " + bucket(query.page().width()) + " AS bucket" + keys + ", " + SUMS
				+ " FROM spend_hour WHERE tenant_id = :tenant AND bucket_start >= :from AND bucket_start < :to"
				+ " GROUP BY bucket" + keys + " HAVING sum(quantity) <> 0 OR sum(amount) <> 0 ORDER BY bucket" + keys;
		return this.db.sql(sql)
			.bind("tenant", query.tenantId())
			.bind("from", utc(query.page().pageStart()))
			.bind("to", utc(query.page().pageEnd()))
			.map((row) -> toSpendRow(row, groupBy))
			.all();
	}

	/**
	 * A month's spend per model, token kind, unit price and pricing status.
	 * @param tenantId the tenant
	 * @param month the month
	 * @return the rows, unordered, zero ones included
	 */
	Flux<StatementRow> statement(String tenantId, StatementMonth month) {
		return this.db.sql(STATEMENT)
			.bind("tenant", tenantId)
			.bind("from", utc(month.start()))
			.bind("to", utc(month.end()))
			.map((row) -> new StatementRow(text(row, "model"), text(row, "token_kind"),
					required(row.get("usd_per_mtok", BigDecimal.class), "usd_per_mtok"),
					required(row.get("unpriced", Boolean.class), "unpriced"), count(row),
					required(row.get("amount", BigDecimal.class), "amount")))
			.all();
	}

	/**
	 * The bucket of an hour row: the hour itself, or its UTC day. Only these two widths
	 * are offered ({@link SpendQuery#BUCKETS}): spend is not kept per minute.
	 */
	private static String bucket(BucketWidth width) {
		return switch (width) {
			case ONE_HOUR -> "bucket_start";
			case ONE_DAY -> "date_trunc('day', bucket_start, 'UTC')";
			case ONE_MINUTE -> throw new IllegalArgumentException("spend is kept per hour, not per minute");
		};
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static SpendRow toSpendRow(Readable row, List<SpendGroupBy> groupBy) {
		SpendReport.Result result = new SpendReport.Result(dimension(row, groupBy, SpendGroupBy.API_KEY_ID),
				dimension(row, groupBy, SpendGroupBy.MODEL), dimension(row, groupBy, SpendGroupBy.TOKEN_KIND),
				Money.exact(required(row.get("amount", BigDecimal.class), "amount")), SpendUpdate.USD, count(row),
				required(row.get("unpriced", Boolean.class), "unpriced"));
		return new SpendRow(required(row.get("bucket", OffsetDateTime.class), "bucket").toInstant(), result);
	}

	private static @Nullable String dimension(Readable row, List<SpendGroupBy> groupBy, SpendGroupBy dimension) {
		return groupBy.contains(dimension) ? text(row, dimension.column()) : null;
	}

	private static String text(Readable row, String column) {
		return required(row.get(column, String.class), column);
	}

	private static long count(Readable row) {
		return required(row.get("quantity", Long.class), "quantity");
	}

	private static <T> T required(@Nullable T value, String column) {
		if (value == null) {
			throw new IllegalStateException(column + " is NOT NULL in spend_hour, so is its sum");
		}
		return value;
	}

}
