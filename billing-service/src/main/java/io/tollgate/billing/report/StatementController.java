package io.tollgate.billing.report;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /v1/statements/{yyyy-mm}}: a tenant's monthly statement ({@link Statement}),
 * in JSON, or in CSV ({@link StatementCsv}) when the {@code Accept} header prefers
 * {@code text/csv}.
 *
 * <p>
 * The format is chosen here rather than by two mappings with {@code produces}, so that
 * {@code Accept: *}{@code /*}, a missing header, or one naming neither format all get
 * JSON, and so that an error is always the JSON error body whatever was accepted. The
 * accepted types are read in order of quality (then as listed); the first that JSON
 * matches decides JSON, the first that only CSV matches decides CSV.
 */
@RestController
class StatementController {

	private final ReportStore store;

	private final Clock clock;

	StatementController(ReportStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@GetMapping("/v1/statements/{month}")
	Mono<ResponseEntity<?>> statement(ServerWebExchange exchange, @PathVariable("month") String monthText) {
		// Access first: a caller without access learns nothing from validation messages.
		String tenantId = Callers.tenant(exchange,
				QueryParams.single(exchange.getRequest().getQueryParams(), FrontDoorHeaders.TENANT_QUERY_PARAMETER));
		StatementMonth month = StatementMonth.parse(monthText);
		Instant asOf = this.clock.instant();
		boolean csv = prefersCsv(accepted(exchange.getRequest().getHeaders()));
		return this.store.statement(tenantId, month)
			.collectList()
			.map((rows) -> Statement.of(tenantId, month, rows, asOf))
			.map((statement) -> response(statement, csv));
	}

	private static List<MediaType> accepted(HttpHeaders headers) {
		try {
			return headers.getAccept();
		}
		catch (InvalidMediaTypeException ex) {
			// What WebFlux answers when it cannot read the header to write a response.
			throw new ApiException(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
					"The Accept header is not a list of media types; send text/csv or application/json");
		}
	}

	static boolean prefersCsv(List<MediaType> accept) {
		List<MediaType> byQuality = new ArrayList<>(accept);
		// Stable: equal qualities keep the client's order.
		byQuality.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType type : byQuality) {
			if (type.getQualityValue() == 0) {
				continue;
			}
			if (type.includes(MediaType.APPLICATION_JSON)) {
				return false;
			}
			if (type.includes(StatementCsv.TEXT_CSV)) {
				return true;
			}
		}
		return false;
	}

	private static ResponseEntity<?> response(Statement statement, boolean csv) {
		if (!csv) {
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(statement);
		}
		return ResponseEntity.ok()
			.contentType(StatementCsv.TEXT_CSV)
			.header(HttpHeaders.CONTENT_DISPOSITION, StatementCsv.disposition(statement).toString())
			.body(StatementCsv.write(statement));
	}

}
