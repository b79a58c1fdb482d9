package io.tollgate.testsupport;

import java.util.UUID;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

@UsesPostgres
class PostgresServiceIntegrationTests {

	@Test
	void givesEachTestJvmAFreshDatabase(PostgresService postgres) {
		assertThat(postgres.database()).startsWith("tollgate_test_");
		StepVerifier
			.create(withConnection(postgres.connectionFactory(),
					(connection) -> Mono.from(connection.createStatement("SELECT current_database()").execute())
						.flatMapMany((result) -> result.map((row, meta) -> row.get(0, String.class)))))
			.expectNext(postgres.database())
			.verifyComplete();
	}

	@Test
	void writesAndReadsThroughR2dbc(PostgresService postgres) {
		String table = "r2dbc_check_" + UUID.randomUUID().toString().replace("-", "");
		Flux<String> roundTrip = withConnection(
				postgres.connectionFactory(), (
						connection) -> Mono
							.from(connection
								.createStatement(
										"CREATE TABLE " + table + " (id bigint PRIMARY KEY, amount numeric(20,9))")
								.execute())
							.flatMap((result) -> Mono.from(result.getRowsUpdated()))
							.thenMany(Flux
								.from(connection.createStatement("INSERT INTO " + table + " VALUES ($1, $2)")
									.bind("$1", 1L)
									.bind("$2", new java.math.BigDecimal("0.000003125"))
									.add()
									.bind("$1", 2L)
									.bind("$2", new java.math.BigDecimal("15.5"))
									.execute())
								.flatMap((result) -> Mono.from(result.getRowsUpdated())))
							.thenMany(Flux
								.from(connection.createStatement("SELECT id, amount FROM " + table + " ORDER BY id")
									.execute())
								.flatMap((result) -> result.map((row, meta) -> row.get("id", Long.class) + "="
										+ row.get("amount", java.math.BigDecimal.class).toPlainString()))));
		StepVerifier.create(roundTrip).expectNext("1=0.000003125", "2=15.500000000").verifyComplete();
	}

	private static <T> Flux<T> withConnection(ConnectionFactory factory,
			java.util.function.Function<Connection, Flux<T>> work) {
		return Flux.usingWhen(factory.create(), work, Connection::close);
	}

}
