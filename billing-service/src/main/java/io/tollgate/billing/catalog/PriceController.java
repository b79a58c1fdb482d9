package io.tollgate.billing.catalog;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.Provider;
import io.tollgate.contract.WireValue;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The price admin API, for the admin credential only.
 *
 * <ul>
 * <li>{@code GET /admin/v1/prices?provider=&model=&at=}: the prices in force at
 * {@code at} (default now) of every catalog model, or of one provider or model (a
 * reported name such as {@code claude-sonnet-4-5-20250929} finds its catalog model),
 * grouped by model, service tier and context tier.</li>
 * <li>{@code GET /admin/v1/prices/history?provider=&model=}: every version, oldest
 * first.</li>
 * <li>{@code POST /admin/v1/prices}: adds a version ({@link PriceChange}), answered with
 * 201 and its rows. History is never edited: a version at an existing time is a 409.</li>
 * </ul>
 */
@RestController
class PriceController {

	static final String VERSION_EXISTS = "price_version_exists";

	private final PriceStore store;

	private final PriceBook book;

	private final Clock clock;

	PriceController(PriceStore store, PriceBook book, Clock clock) {
		this.store = store;
		this.book = book;
		this.clock = clock;
	}

	@GetMapping("/admin/v1/prices")
	Mono<PriceViews.PriceList> prices(ServerWebExchange exchange) {
		requireAdmin(exchange);
		Map<String, List<String>> params = exchange.getRequest().getQueryParams();
		Provider provider = QueryParams.wireValue(params, "provider", Provider.class);
		String atText = QueryParams.single(params, "at");
		Instant at = (atText != null) ? instant("at", atText) : this.clock.instant();
		List<String> models = models(provider, QueryParams.single(params, "model"));
		if (models.isEmpty()) {
			return this.store.inForce(at, provider, null).collectList().map((rows) -> PriceViews.list(at, rows));
		}
		return Flux.fromIterable(models)
			.concatMap((model) -> this.store.inForce(at, provider, model))
			.collectList()
			.map((rows) -> PriceViews.list(at, rows));
	}

	@GetMapping("/admin/v1/prices/history")
	Mono<PriceViews.History> history(ServerWebExchange exchange) {
		requireAdmin(exchange);
		Map<String, List<String>> params = exchange.getRequest().getQueryParams();
		Provider provider = QueryParams.wireValue(params, "provider", Provider.class);
		List<String> models = models(provider, QueryParams.single(params, "model"));
		if (models.isEmpty()) {
			return this.store.history(provider, null)
				.collectList()
				.map((rows) -> new PriceViews.History(PriceViews.versions(rows)));
		}
		return Flux.fromIterable(models)
			.concatMap((model) -> this.store.history(provider, model))
			.collectList()
			.map((rows) -> {
				List<PriceRow> ordered = new ArrayList<>(rows);
				ordered.sort(Comparator.comparing(PriceRow::effectiveFrom).thenComparing(PriceRow::id));
				return new PriceViews.History(PriceViews.versions(ordered));
			});
	}

	@PostMapping("/admin/v1/prices")
	Mono<ResponseEntity<PriceViews.PriceVersion>> add(ServerWebExchange exchange,
			@RequestBody(required = false) @Nullable Mono<String> body) {
		// Who may call is decided before the body is read or judged.
		requireAdmin(exchange);
		Mono<String> text = (body != null) ? body : Mono.empty();
		return text
			.switchIfEmpty(Mono.error(() -> ApiException.invalidParameter("body",
					"the body must be a JSON object with provider, model, service_tier, context_tier, effective_from, "
							+ "prices and reason")))
			.map((json) -> PriceChange.parse(json, this.clock.instant()))
			.flatMap(this::add)
			.map((version) -> ResponseEntity.status(HttpStatus.CREATED).body(version));
	}

	private Mono<PriceViews.PriceVersion> add(PriceChange change) {
		return this.store.kindsPricedAt(change).flatMap((priced) -> {
			List<String> missing = new ArrayList<>();
			for (TokenKind kind : TokenKind.values()) {
				if (!change.prices().containsKey(kind) && !priced.contains(kind.wire())) {
					missing.add(kind.wire());
				}
			}
			if (!missing.isEmpty()) {
				return Mono.error(ApiException.invalidParameter("prices",
						change.model() + " has no " + change.serviceTier().wire() + "/" + change.contextTier().wire()
								+ " price for " + String.join(", ", missing) + " in force at " + change.effectiveFrom()
								+ ": a model's first version must price every token kind ("
								+ WireValue.spellings(TokenKind.class)
								+ "); later versions may give only the kinds that change"));
			}
			return this.store.insertVersion(change, "admin: " + change.reason())
				.collectList()
				.onErrorMap(DataIntegrityViolationException.class, (ex) -> versionExists(change));
		}).flatMap((rows) -> {
			if (rows.isEmpty()) {
				return Mono.error(versionExists(change));
			}
			// Priced with at once by this instance; the others read it within a minute.
			return this.book.refresh().thenReturn(PriceViews.versions(rows).getFirst());
		});
	}

	private static ApiException versionExists(PriceChange change) {
		return new ApiException(HttpStatus.CONFLICT, VERSION_EXISTS,
				change.provider().wire() + " " + change.model() + " " + change.serviceTier().wire() + "/"
						+ change.contextTier().wire() + " already has a version from " + change.effectiveFrom()
						+ ": versions are never edited; add one with another effective_from");
	}

	private static void requireAdmin(ServerWebExchange exchange) {
		Callers.requireAdmin(exchange, "Prices are read and changed with the admin credential only");
	}

	/**
	 * The catalog models a model filter means: what the reported name resolves to, for
	 * one provider or any; the normalised name itself when it resolves to nothing (a
	 * model another instance has just added is still found).
	 */
	private List<String> models(@Nullable Provider provider, @Nullable String model) {
		if (model == null) {
			return List.of();
		}
		PriceSnapshot snapshot = this.book.snapshot();
		List<String> models = new ArrayList<>();
		for (Provider candidate : (provider != null) ? List.of(provider) : List.of(Provider.values())) {
			String resolved = snapshot.resolve(candidate, model);
			if (resolved != null && !models.contains(resolved)) {
				models.add(resolved);
			}
		}
		if (models.isEmpty()) {
			models.add(ModelNames.normalise(model));
		}
		return models;
	}

	private static Instant instant(String name, String value) {
		try {
			return OffsetDateTime.parse(value.replace(' ', '+')).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw ApiException.invalidParameter(name,
					name + " '" + value + "' is not an RFC 3339 time such as 2026-11-01T00:00:00Z");
		}
	}

}
