package io.tollgate.metering.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import io.tollgate.contract.BucketWidth;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * Reads usage aggregates from the table of the query's bucket width, summing every count
 * over the dimensions the query does not group by. Table and column names come only from
 * {@link BucketWidth} and {@link GroupBy}; everything the client sends is a bind
 * parameter.
 */
@Repository
class UsageStore {

	private static final String SUMS = """
			sum(requests)::bigint AS requests, sum(successes)::bigint AS successes,
			sum(upstream_errors)::bigint AS upstream_errors, sum(client_aborts)::bigint AS client_aborts,
			sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
			sum(cache_write_5m_tokens)::bigint AS cache_write_5m_tokens,
			sum(cache_write_1h_tokens)::bigint AS cache_write_1h_tokens,
			sum(cache_read_tokens)::bigint AS cache_read_tokens, sum(reasoning_tokens)::bigint AS reasoning_tokens,
			sum(server_tool_uses)::bigint AS server_tool_uses""";

	private final DatabaseClient db;

	UsageStore(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * The rows of the query's current page, ordered by bucket and then by the grouped
	 * dimensions.
	 * @param query the query
	 * @return one row per bucket and group that has usage
	 */
	Flux<UsageRow> page(UsageQuery query) {
		List<GroupBy> groupBy = query.groupBy();
		String keys = groupBy.stream().map((group) -> ", " + group.column()).collect(Collectors.joining());
		StringBuilder sql = new StringBuilder("SELECT bucket_start").append(keys)
			.append(", ")
			.append(SUMS)
			.append(" FROM ")
			.append(table(query.width()))
			.append(" WHERE tenant_id = :tenant AND bucket_start >= :from AND bucket_start < :to");
		if (!query.apiKeyIds().isEmpty()) {
			sql.append(" AND api_key_id = ANY(:apiKeyIds)");
		}
		if (!query.models().isEmpty()) {
			sql.append(" AND model = ANY(:models)");
		}
		sql.append(" GROUP BY bucket_start").append(keys).append(" ORDER BY bucket_start").append(keys);
		GenericExecuteSpec spec = this.db.sql(sql.toString())
			.bind("tenant", query.tenantId())
			.bind("from", utc(query.pageStart()))
			.bind("to", utc(query.pageEnd()));
		if (!query.apiKeyIds().isEmpty()) {
			spec = spec.bind("apiKeyIds", query.apiKeyIds().toArray(String[]::new));
		}
		if (!query.models().isEmpty()) {
			spec = spec.bind("models", query.models().toArray(String[]::new));
		}
		return spec.map((row) -> toRow(row, groupBy)).all();
	}

	private static String table(BucketWidth width) {
		return switch (width) {
			case ONE_MINUTE -> "usage_minute";
			case ONE_HOUR -> "usage_hour";
			case ONE_DAY -> "usage_day";
		};
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static UsageRow toRow(Readable row, List<GroupBy> groupBy) {
		UsageReport.Result result = new UsageReport.Result(dimension(row, groupBy, GroupBy.API_KEY_ID),
				dimension(row, groupBy, GroupBy.MODEL), dimension(row, groupBy, GroupBy.PROVIDER),
				dimension(row, groupBy, GroupBy.SERVICE_TIER), dimension(row, groupBy, GroupBy.CONTEXT_TIER),
				count(row, "requests"), count(row, "successes"), count(row, "upstream_errors"),
				count(row, "client_aborts"), count(row, "input_tokens"), count(row, "output_tokens"),
				new UsageReport.CacheCreation(count(row, "cache_write_5m_tokens"), count(row, "cache_write_1h_tokens")),
				count(row, "cache_read_tokens"), count(row, "reasoning_tokens"), count(row, "server_tool_uses"));
		Instant bucketStart = row.get("bucket_start", Instant.class);
		if (bucketStart == null) {
			throw new IllegalStateException("bucket_start is NOT NULL in every usage table");
		}
		return new UsageRow(bucketStart, result);
	}

	private static @Nullable String dimension(Readable row, List<GroupBy> groupBy, GroupBy dimension) {
		return groupBy.contains(dimension) ? row.get(dimension.column(), String.class) : null;
	}

	private static long count(Readable row, String column) {
		Long value = row.get(column, Long.class);
		if (value == null) {
			throw new IllegalStateException(column + " is NOT NULL in every usage table, so is its sum");
		}
		return value;
	}

}
