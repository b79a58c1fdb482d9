package io.tollgate.alerting.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.alerting.alert.Alert;
import io.tollgate.alerting.alert.AlertStore;
import io.tollgate.alerting.alert.AlertType;
import io.tollgate.alerting.config.AlertingProperties;
import io.tollgate.alerting.webhook.Endpoint;
import io.tollgate.alerting.webhook.EndpointStore;
import io.tollgate.alerting.webhook.SecretBox;
import io.tollgate.contract.EventIds;
import io.tollgate.support.lifecycle.BackgroundLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends queued webhook deliveries.
 *
 * <p>
 * Algorithm: a {@link BackgroundLoop} round claims as many due deliveries as there are
 * free slots (at most {@code concurrency} attempts in flight), leases each for the
 * attempt's timeout, and starts the attempts without waiting for them, so that one slow
 * endpoint holds one slot and never another endpoint's turn. An attempt signs the body
 * ({@link WebhookSigner}: the current secret, and the previous one during a rotation's
 * grace), POSTs it with the {@link DestinationGuard}'s client (addresses checked at
 * connect time, no redirects) and logs the attempt with status, latency and the first KiB
 * of the answer. Only 2xx is success. 410 disables the endpoint. Anything else is retried
 * after the next wait of the schedule (lengthened by up to a fifth at random, and at
 * least the {@code Retry-After} of a 429 or 503); after the last, the delivery has
 * failed. An endpoint whose deliveries have all failed for {@code disable-after} is
 * disabled. A disabled endpoint's tenant is told through its other endpoints
 * ({@code endpoint.disabled}).
 */
@Component
public class DeliveryWorker implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DeliveryWorker.class);

	private static final int EXCERPT_BYTES = 1024;

	private static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

	private final DeliveryQueue queue;

	private final EndpointStore endpoints;

	private final SecretBox secrets;

	private final AlertStore alerts;

	private final TransactionalOperator transactions;

	private final WebClient client;

	private final AlertingProperties.Webhooks settings;

	private final Clock clock;

	private final BackgroundLoop loop;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Counter delivered;

	private final Counter retried;

	private final Counter failed;

	DeliveryWorker(DeliveryQueue queue, EndpointStore endpoints, SecretBox secrets, AlertStore alerts,
			ReactiveTransactionManager transactionManager, DestinationGuard guard, AlertingProperties properties,
			Clock clock, MeterRegistry registry) {
		this.queue = queue;
		this.endpoints = endpoints;
		this.secrets = secrets;
		this.alerts = alerts;
		this.transactions = TransactionalOperator.create(transactionManager);
		this.settings = properties.webhooks();
		this.client = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(guard.httpClient(this.settings.timeout())))
			.build();
		this.clock = clock;
		this.loop = new BackgroundLoop("webhook-sender", this.settings.pollInterval(), Duration.ofSeconds(30), true,
				this::round, (failedRounds, retryIn, failure) -> logger.error(
						"Reading the webhook delivery queue failed ({}); retrying in {}", failure.toString(), retryIn));
		this.delivered = attempts(registry, "delivered");
		this.retried = attempts(registry, "retried");
		this.failed = attempts(registry, "failed");
		registry.gauge("tollgate.alerting.webhooks.in_flight", this.inFlight);
	}

	private static Counter attempts(MeterRegistry registry, String result) {
		return Counter.builder("tollgate.alerting.webhooks.attempts")
			.description("Webhook delivery attempts by result")
			.tag("result", result)
			.register(registry);
	}

	/** Looks at the queue now (after a commit that queued deliveries). */
	public void wake() {
		this.loop.wake();
	}

	/**
	 * Claims what free slots allow and starts the attempts. Blocks on the claim only, on
	 * the loop's own thread.
	 */
	private boolean round() {
		int free = this.settings.concurrency() - this.inFlight.get();
		if (free <= 0) {
			return false;
		}
		Instant now = this.clock.instant();
		// The lease outlasts the attempt, so nobody else takes the delivery meanwhile.
		Instant lease = now.plus(this.settings.timeout()).plusSeconds(30);
		List<DeliveryQueue.Claimed> claimed = this.queue.claim(free, now, lease).collectList().block();
		if (claimed == null || claimed.isEmpty()) {
			return false;
		}

		for (DeliveryQueue.Claimed delivery : claimed) {
			this.inFlight.incrementAndGet();
			attempt(delivery).onErrorResume((ex) -> {
				logger.error("Webhook delivery {} could not be recorded: {}", delivery.deliveryId(), ex.toString());
				return Mono.empty();
			}).doFinally((signal) -> {
				this.inFlight.decrementAndGet();
				this.loop.wake();
			}).subscribe();
		}
		return claimed.size() == free;
	}

	private Mono<Void> attempt(DeliveryQueue.Claimed delivery) {
		// Optional, not switchIfEmpty: a sent delivery completes empty too.
		return this.endpoints.find(delivery.endpointId())
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((found) -> {
				if (found.isEmpty()) {
					return this.queue.failed(delivery.deliveryId());
				}
				Endpoint endpoint = found.get();
				if (!endpoint.enabled()) {
					return this.queue
						.logAttempt(delivery.deliveryId(), delivery.attempt(), this.clock.instant(), null, 0, null,
								"endpoint disabled")
						.then(this.queue.failed(delivery.deliveryId()));
				}
				return send(endpoint, delivery);
			});
	}

	private Mono<Void> send(Endpoint endpoint, DeliveryQueue.Claimed delivery) {
		Instant started = this.clock.instant();
		long timestamp = started.getEpochSecond();
		String signature = WebhookSigner.signature(delivery.deliveryId(), timestamp, delivery.payload(),
				signingSecrets(endpoint, started));
		long startNanos = System.nanoTime();
		return this.client.post()
			.uri(URI.create(endpoint.url()))
			.contentType(MediaType.APPLICATION_JSON)
			.header("webhook-id", delivery.deliveryId())
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", signature)
			.header(HttpHeaders.USER_AGENT, "Tollgate-Webhooks/1")
			.bodyValue(delivery.payload())
			.exchangeToMono((response) -> DataBufferUtils
				.join(DataBufferUtils.takeUntilByteCount(response.body(BodyExtractors.toDataBuffers()), EXCERPT_BYTES))
				.map((buffer) -> {
					String text = buffer.toString(StandardCharsets.UTF_8);
					DataBufferUtils.release(buffer);
					return text;
				})
				.defaultIfEmpty("")
				.map((excerpt) -> new Answer(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), excerpt, null)))
			.timeout(this.settings.timeout())
			.onErrorResume((ex) -> Mono.just(new Answer(null, null, null, oneLine(ex))))
			.flatMap((answer) -> settle(endpoint, delivery, started, (System.nanoTime() - startNanos) / 1_000_000,
					answer));
	}

	/** What an endpoint answered, or why there was no answer. */
	private record Answer(@Nullable Integer status, @Nullable String retryAfter, @Nullable String excerpt,
			@Nullable String error) {

		boolean succeeded() {
			return this.status != null && this.status >= 200 && this.status < 300;
		}

	}

	private Mono<Void> settle(Endpoint endpoint, DeliveryQueue.Claimed delivery, Instant started, long latency,
			Answer answer) {
		logger.debug("Webhook delivery {} attempt {} to endpoint {}: {} in {} ms", delivery.deliveryId(),
				delivery.attempt(), endpoint.endpointId(), describe(answer), latency);
		Mono<Void> logged = this.queue.logAttempt(delivery.deliveryId(), delivery.attempt(), started, answer.status(),
				latency, answer.excerpt(), answer.error());
		Instant now = this.clock.instant();
		if (answer.succeeded()) {
			this.delivered.increment();
			return logged.then(this.queue.delivered(delivery.deliveryId()))
				.then(this.endpoints.healthy(endpoint.endpointId()));
		}
		if (Integer.valueOf(410).equals(answer.status())) {
			this.failed.increment();
			return logged.then(this.queue.failed(delivery.deliveryId()))
				.then(disable(endpoint, "the endpoint answered 410 Gone", now));
		}
		Mono<Void> failing = this.endpoints.failing(endpoint.endpointId(), now)
			.flatMap((since) -> since.plus(this.settings.disableAfter()).isAfter(now) ? Mono.empty() : disable(endpoint,
					"every delivery failed for " + this.settings.disableAfter().toDays() + " days", now));
		List<Duration> schedule = this.settings.retrySchedule();
		if (delivery.attempt() >= schedule.size()) {
			this.failed.increment();
			logger.warn("Webhook delivery {} to endpoint {} of tenant {} failed after {} attempts (last: {})",
					delivery.deliveryId(), endpoint.endpointId(), endpoint.tenantId(), delivery.attempt(),
					describe(answer));
			return logged.then(this.queue.failed(delivery.deliveryId())).then(failing);
		}
		this.retried.increment();
		Instant next = now.plus(wait(schedule.get(delivery.attempt()), answer));
		return logged.then(this.queue.retryAt(delivery.deliveryId(), next)).then(failing);
	}

	private static Duration wait(Duration scheduled, Answer answer) {
		Duration wait = scheduled.plusMillis(ThreadLocalRandom.current().nextLong(1 + scheduled.toMillis() / 5));
		if ((Integer.valueOf(429).equals(answer.status()) || Integer.valueOf(503).equals(answer.status()))
				&& answer.retryAfter() != null) {
			try {
				Duration asked = Duration.ofSeconds(Long.parseLong(answer.retryAfter().strip()));
				if (asked.compareTo(wait) > 0) {
					wait = (asked.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : asked;
				}
			}
			catch (NumberFormatException ex) {
				// An HTTP date or garbage: the schedule's wait stands.
			}
		}
		return wait;
	}

	private Mono<Void> disable(Endpoint endpoint, String reason, Instant now) {
		return this.endpoints.disable(endpoint.endpointId(), reason, now).flatMap((wasEnabled) -> {
			if (!wasEnabled) {
				return Mono.<Void>empty();
			}
			logger.warn("Webhook endpoint {} of tenant {} ({}) disabled: {}", endpoint.endpointId(),
					endpoint.tenantId(), endpoint.url(), reason);
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("endpoint_id", endpoint.endpointId());
			data.put("url", endpoint.url());
			data.put("reason", reason);
			Alert alert = new Alert(EventIds.uuidV7(this.clock), endpoint.tenantId(), null, AlertType.ENDPOINT_DISABLED,
					now, data);
			return this.alerts.raise(List.of(alert), now).as(this.transactions::transactional).then();
		});
	}

	private List<String> signingSecrets(Endpoint endpoint, Instant now) {
		List<String> signing = new ArrayList<>(2);
		signing.add(this.secrets.open(endpoint.secret()));
		if (endpoint.previousSecret() != null && endpoint.previousUntil() != null
				&& endpoint.previousUntil().isAfter(now)) {
			signing.add(this.secrets.open(endpoint.previousSecret()));
		}
		return signing;
	}

	private static String describe(Answer answer) {
		return (answer.status() != null) ? "HTTP " + answer.status() : String.valueOf(answer.error());
	}

	private static String oneLine(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return message.replaceAll("\\s+", " ").strip();
	}

	@Override
	public void start() {
		this.loop.start();
	}

	@Override
	public void stop() {
		this.loop.stop();
	}

	@Override
	public boolean isRunning() {
		return this.loop.isRunning();
	}

}
