package io.tollgate.billing.ledger;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.catalog.CorrectionRequest;
import io.tollgate.billing.catalog.PriceBook;
import io.tollgate.contract.Provider;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The price correction API, for the admin credential only.
 *
 * <ul>
 * <li>{@code POST /admin/v1/prices/corrections}: corrects the price of one key over a
 * past range ({@link CorrectionRequest}): stores the correction, which the price book
 * applies to usage of the range from then on, and re-prices the ledger's entries of the
 * range with adjusting entries, in one transaction ({@link CorrectionStore}). Answered
 * with 201, the correction and what it adjusted.</li>
 * <li>{@code GET /admin/v1/prices/corrections?provider=&model=}: every correction, oldest
 * first.</li>
 * </ul>
 */
@RestController
class CorrectionController {

	private static final Logger logger = LoggerFactory.getLogger(CorrectionController.class);

	private final CorrectionStore store;

	private final PriceBook book;

	private final Clock clock;

	CorrectionController(CorrectionStore store, PriceBook book, Clock clock) {
		this.store = store;
		this.book = book;
		this.clock = clock;
	}

	@PostMapping("/admin/v1/prices/corrections")
	Mono<ResponseEntity<CorrectionViews.Correction>> correct(ServerWebExchange exchange,
			@RequestBody(required = false) @Nullable Mono<String> body) {
		// Who may call is decided before the body is read or judged.
		requireAdmin(exchange);
		Mono<String> text = (body != null) ? body : Mono.empty();
		return text.defaultIfEmpty("")
			.map((json) -> CorrectionRequest.parse(json, this.clock.instant()))
			.flatMap(this::inCatalog)
			.flatMap(this.store::correct)
			// This instance quotes the correction at once; every instance's ledger
			// batches
			// catch up before pricing (PricingLock), and the rest within a minute.
			.flatMap((stored) -> this.book.refresh().onErrorResume((ex) -> {
				logger.warn("Price correction {} stored, but the prices could not be read again: {}", stored.id(),
						ex.toString());
				return Mono.empty();
			}).thenReturn(stored))
			.map((stored) -> ResponseEntity.status(HttpStatus.CREATED).body(CorrectionViews.correction(stored)));
	}

	@GetMapping("/admin/v1/prices/corrections")
	Mono<CorrectionViews.CorrectionList> list(ServerWebExchange exchange) {
		requireAdmin(exchange);
		Map<String, List<String>> params = exchange.getRequest().getQueryParams();
		Provider provider = QueryParams.wireValue(params, "provider", Provider.class);
		return this.store.list(provider, QueryParams.single(params, "model"))
			.map(CorrectionViews::correction)
			.collectList()
			.map(CorrectionViews.CorrectionList::new);
	}

	/** The model must be one of the provider's catalog models (read again when not). */
	private Mono<CorrectionRequest> inCatalog(CorrectionRequest request) {
		if (this.book.hasModel(request.provider(), request.model())) {
			return Mono.just(request);
		}
		return this.book.refresh()
			.then(Mono.defer(() -> this.book.hasModel(request.provider(), request.model()) ? Mono.just(request)
					: Mono.error(ApiException.invalidParameter("model",
							"model '" + request.model() + "' is not a " + request.provider().wire()
									+ " catalog model (give the catalog name, such as claude-sonnet-4-5, "
									+ "as GET /admin/v1/prices lists it)"))));
	}

	private static void requireAdmin(ServerWebExchange exchange) {
		Callers.requireAdmin(exchange, "Price corrections are read and made with the admin credential only");
	}

}
