package io.tollgate.alerting.alert;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.query.PageToken;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /v1/alerts}: the tenant's alert history, newest first, filtered by
 * {@code type}, {@code api_key_id} and a time range ({@code starting_at} inclusive,
 * {@code ending_at} exclusive; by default the last 30 days), {@code limit} alerts a page
 * (1 to 500, 100 by default), the next page named by {@code next_page}.
 */
@RestController
class AlertController {

	static final int MAX_LIMIT = 500;

	private static final Duration DEFAULT_RANGE = Duration.ofDays(30);

	private final AlertStore store;

	private final Clock clock;

	AlertController(AlertStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@GetMapping("/v1/alerts")
	Mono<Map<String, Object>> alerts(ServerWebExchange exchange) {
		Map<String, List<String>> params = exchange.getRequest().getQueryParams();
		String tenantId = Callers.tenant(exchange, QueryParams.single(params, FrontDoorHeaders.TENANT_QUERY_PARAMETER));
		AlertQuery query = query(tenantId, params, this.clock.instant());
		return this.store.history(query).collectList().map((alerts) -> page(query, alerts, params));
	}

	static AlertQuery query(String tenantId, Map<String, List<String>> params, Instant now) {
		String typeText = QueryParams.single(params, "type");
		AlertType type = null;
		if (typeText != null) {
			type = AlertType.of(typeText)
				.orElseThrow(() -> ApiException.invalidParameter("type",
						"type must be one of " + AlertType.spellings() + ", was " + typeText));
		}
		Instant to = instant(params, "ending_at", now);
		Instant from = instant(params, "starting_at", to.minus(DEFAULT_RANGE));
		if (!from.isBefore(to)) {
			throw ApiException.invalidParameter("ending_at", "ending_at must be after starting_at");
		}
		int limit = QueryParams.limit(params, 100, MAX_LIMIT);
		String page = QueryParams.single(params, PageToken.PARAM);
		AlertQuery.Cursor after = (page != null) ? cursor(page, queryId(tenantId, params)) : null;
		return new AlertQuery(tenantId, from, to, type, QueryParams.single(params, "api_key_id"), limit, after);
	}

	private static Map<String, Object> page(AlertQuery query, List<Alert> alerts, Map<String, List<String>> params) {
		boolean more = alerts.size() > query.limit();
		List<Alert> shown = more ? alerts.subList(0, query.limit()) : alerts;
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("data", shown.stream().map(AlertController::view).toList());
		body.put("has_more", more);
		body.put("next_page", more ? token(shown.getLast(), queryId(query.tenantId(), params)) : null);
		return body;
	}

	private static Map<String, Object> view(Alert alert) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("alert_id", alert.alertId());
		view.put("type", alert.type().wire());
		view.put("tenant_id", alert.tenantId());
		view.put("api_key_id", alert.apiKeyId());
		view.put("occurred_at", alert.occurredAt().toString());
		view.put("data", alert.data());
		return view;
	}

	private static Instant instant(Map<String, List<String>> params, String name, Instant fallback) {
		String text = QueryParams.single(params, name);
		if (text == null) {
			return fallback;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw ApiException.invalidParameter(name,
					name + " must be an RFC 3339 time such as 2026-12-01T00:00:00Z, was " + text);
		}
	}

	// The page token names the last alert shown and the query it belongs to.
	private static String queryId(String tenantId, Map<String, List<String>> params) {
		return PageToken.queryId(List.of(tenantId, String.valueOf(QueryParams.single(params, "type")),
				String.valueOf(QueryParams.single(params, "api_key_id")),
				String.valueOf(QueryParams.single(params, "starting_at")),
				String.valueOf(QueryParams.single(params, "ending_at")),
				String.valueOf(QueryParams.single(params, "limit"))));
	}

	private static String token(Alert last, String queryId) {
		String text = "a1." + ChronoUnit.MICROS.between(Instant.EPOCH, last.occurredAt()) + "." + last.alertId() + "."
				+ queryId;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static AlertQuery.Cursor cursor(String token, String queryId) {
		String[] parts;
		try {
			parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\.", 4);
		}
		catch (IllegalArgumentException ex) {
			throw PageToken.malformed();
		}
		Instant at;
		try {
			at = (parts.length == 4 && parts[0].equals("a1"))
					? Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS) : null;
		}
		catch (NumberFormatException ex) {
			at = null;
		}
		if (at == null) {
			throw PageToken.malformed();
		}
		if (!parts[3].equals(queryId)) {
			throw ApiException.invalidParameter(PageToken.PARAM, "page is the next_page of a different query: send "
					+ "it with the same parameters as the request that returned it");
		}
		return new AlertQuery.Cursor(at, parts[2]);
	}

}
