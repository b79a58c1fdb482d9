package io.tollgate.alerting.keycontrol;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.alerting.alert.Alert;
import io.tollgate.alerting.alert.AlertStore;
import io.tollgate.alerting.alert.AlertType;
import io.tollgate.alerting.delivery.DeliveryWorker;
import io.tollgate.contract.EventIds;
import io.tollgate.contract.KeyAction;
import io.tollgate.contract.KeyControl;
import io.tollgate.contract.frontdoor.FrontDoorHeaders;
import io.tollgate.support.outbox.Outbox;
import io.tollgate.support.outbox.OutboxRelay;
import io.tollgate.support.query.QueryParams;
import io.tollgate.support.web.ApiException;
import io.tollgate.support.web.Callers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code /admin/v1/key-controls}: the keys paused now (budget or by hand), and pausing or
 * resuming a key, or every key of a tenant ({@code api_key_id} {@code *}), by hand. A
 * decision is written with the outbox record that publishes it to the compacted topic in
 * one transaction, and announced as {@code key.paused} or {@code key.resumed}.
 */
@RestController
class KeyControlController {

	private final KeyControlStore store;

	private final Outbox outbox;

	private final OutboxRelay relay;

	private final AlertStore alerts;

	private final DeliveryWorker deliveries;

	private final TransactionalOperator transactions;

	private final Clock clock;

	KeyControlController(KeyControlStore store, Outbox outbox, OutboxRelay relay, AlertStore alerts,
			DeliveryWorker deliveries, ReactiveTransactionManager transactionManager, Clock clock) {
		this.store = store;
		this.outbox = outbox;
		this.relay = relay;
		this.alerts = alerts;
		this.deliveries = deliveries;
		this.transactions = TransactionalOperator.create(transactionManager);
		this.clock = clock;
	}

	/**
	 * A decision by hand.
	 *
	 * @param tenantId the tenant
	 * @param apiKeyId the key, or {@code *} for every key of the tenant
	 * @param action {@code pause} or {@code resume}
	 * @param message what the refused client is told (pause only)
	 * @param until when a pause ends by itself (RFC 3339), none when only a resume ends
	 * it
	 */
	record Decision(@JsonProperty("tenant_id") @Nullable String tenantId,
			@JsonProperty("api_key_id") @Nullable String apiKeyId, @Nullable String action, @Nullable String message,
			@Nullable String until) {

	}

	@GetMapping("/admin/v1/key-controls")
	Mono<Map<String, Object>> paused(ServerWebExchange exchange) {
		Callers.requireAdmin(exchange, "only the admin credential lists key controls");
		String tenant = QueryParams.single(exchange.getRequest().getQueryParams(),
				FrontDoorHeaders.TENANT_QUERY_PARAMETER);
		return this.store.paused(tenant, this.clock.instant())
			.map(KeyControlController::view)
			.collectList()
			.map((views) -> Map.of("data", views));
	}

	@PostMapping("/admin/v1/key-controls")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Map<String, Object>> decide(ServerWebExchange exchange, @RequestBody Decision decision) {
		Callers.requireAdmin(exchange, "only the admin credential pauses and resumes keys");
		Instant now = this.clock.instant();
		KeyControl control = control(decision, now);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("control_id", control.controlId());
		data.put("reason", control.reason());
		data.put("why", "an administrator decided");
		data.put("keys", control.allKeys() ? "all keys of the tenant" : control.apiKeyId());
		data.put("until", (control.until() != null) ? control.until().toString() : null);
		data.put("message", control.message());
		Alert alert = new Alert(EventIds.uuidV7(this.clock), control.tenantId(),
				control.allKeys() ? null : control.apiKeyId(),
				(control.action() == KeyAction.PAUSE) ? AlertType.KEY_PAUSED : AlertType.KEY_RESUMED, now, data);
		return this.store.record(control)
			.flatMap((record) -> this.outbox.append(List.of(record)))
			.then(this.alerts.raise(List.of(alert), now))
			.as(this.transactions::transactional)
			.doOnSuccess((queued) -> {
				this.relay.wake();
				this.deliveries.wake();
			})
			.thenReturn(view(control));
	}

	private KeyControl control(Decision decision, Instant now) {
		String tenant = required(decision.tenantId(), "tenant_id");
		String key = required(decision.apiKeyId(), "api_key_id");
		String actionText = required(decision.action(), "action");
		KeyAction action = switch (actionText) {
			case "pause" -> KeyAction.PAUSE;
			case "resume" -> KeyAction.RESUME;
			default -> throw ApiException.invalidParameter("action", "action must be pause or resume");
		};
		Instant until = null;
		if (decision.until() != null) {
			try {
				until = Instant.parse(decision.until());
			}
			catch (DateTimeParseException ex) {
				throw ApiException.invalidParameter("until",
						"until must be an RFC 3339 time such as " + "2026-12-01T00:00:00Z, was " + decision.until());
			}
			if (!until.isAfter(now)) {
				throw ApiException.invalidParameter("until", "until must be in the future");
			}
		}
		if (action == KeyAction.RESUME && (until != null || decision.message() != null)) {
			throw ApiException.invalidParameter((until != null) ? "until" : "message",
					"a resume takes neither until nor message");
		}
		String message = (action == KeyAction.PAUSE) ? ((decision.message() != null) ? decision.message()
				: "Paused by an administrator" + ((until != null) ? " until " + until : "") + ".") : null;
		return new KeyControl(EventIds.uuidV7(this.clock), tenant, key, action, KeyControl.MANUAL, message, until, now);
	}

	private static String required(@Nullable String value, String name) {
		if (value == null || value.isBlank()) {
			throw ApiException.invalidParameter(name, name + " is required");
		}
		return value.strip();
	}

	private static Map<String, Object> view(KeyControl control) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("control_id", control.controlId());
		view.put("tenant_id", control.tenantId());
		view.put("api_key_id", control.apiKeyId());
		view.put("action", control.action().wire());
		view.put("reason", control.reason());
		view.put("message", control.message());
		view.put("until", (control.until() != null) ? control.until().toString() : null);
		view.put("decided_at", control.decidedAt().toString());
		return view;
	}

}
