package io.tollgate.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tollgate.testsupport.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class WebhookReceiverTests {

	// The test vector of the Standard Webhooks reference libraries.
	private static final String REFERENCE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final String REFERENCE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

	private static final long REFERENCE_TIMESTAMP = 1614265330;

	private static final String REFERENCE_BODY = "{\"test\": 2432232314}";

	private static final String REFERENCE_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

	private static final long NOW = 1_767_225_600; // 2026-01-01T00:00:00Z

	private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

	private static final Duration TOLERANCE = Duration.ofMinutes(5);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		// HTTP/1.1 as webhook senders use, without the h2c upgrade headers.
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final byte[] key = randomKey();

	private final String secret = secretOf(this.key);

	private final List<WebhookReceiver> receivers = new ArrayList<>();

	@AfterEach
	void closeReceivers() {
		this.receivers.forEach(WebhookReceiver::close);
	}

	@AfterAll
	static void closeClient() {
		CLIENT.close();
	}

	@Test
	void acceptsTheSpecificationsReferenceVector() throws Exception {
		WebhookReceiver receiver = start(List.of(REFERENCE_SECRET),
				Clock.fixed(Instant.ofEpochSecond(REFERENCE_TIMESTAMP), ZoneOffset.UTC));
		// The test vector's own signing routine must agree, or the other tests prove
		// nothing.
		assertThat(sign(Base64.getDecoder().decode(REFERENCE_SECRET.substring("whsec_".length())), REFERENCE_ID,
				REFERENCE_TIMESTAMP, REFERENCE_BODY))
			.isEqualTo(REFERENCE_SIGNATURE);

		post(receiver, REFERENCE_ID, String.valueOf(REFERENCE_TIMESTAMP), REFERENCE_SIGNATURE, REFERENCE_BODY);

		assertThat(receiver.deliveries()).singleElement().satisfies((delivery) -> {
			assertThat(delivery.verdict()).isEqualTo("ok");
			assertThat(delivery.verified()).isTrue();
		});
	}

	@Test
	void verifiesASignatureMadeWithTheDecodedSecret() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);

		HttpResponse<Void> response = post(receiver, "msg_1", String.valueOf(NOW),
				sign(this.key, "msg_1", NOW, "{\"a\":1}"), "{\"a\":1}");

		assertThat(response.statusCode()).isEqualTo(204);
		assertThat(receiver.verified()).singleElement().satisfies((delivery) -> {
			assertThat(delivery.webhookId()).isEqualTo("msg_1");
			assertThat(delivery.timestamp()).isEqualTo(String.valueOf(NOW));
			assertThat(delivery.body()).isEqualTo("{\"a\":1}");
			assertThat(delivery.verdict()).isEqualTo("ok");
			assertThat(delivery.answeredStatus()).isEqualTo(204);
		});
	}

	@Test
	void rejectsASignatureMadeWithTheSecretsTextInsteadOfItsBytes() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);

		post(receiver, "msg_1", String.valueOf(NOW),
				sign(this.secret.getBytes(StandardCharsets.UTF_8), "msg_1", NOW, "{}"), "{}");

		assertThat(receiver.deliveries()).singleElement()
			.satisfies((delivery) -> assertThat(delivery.verdict()).isEqualTo("no v1 signature matches"));
		assertThat(receiver.verified()).isEmpty();
	}

	@Test
	void rejectsATamperedBody() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);

		post(receiver, "msg_1", String.valueOf(NOW), sign(this.key, "msg_1", NOW, "{\"amount\":1}"), "{\"amount\":9}");
		// A stray space is tampering too: the body must be sent exactly as signed.
		post(receiver, "msg_2", String.valueOf(NOW), sign(this.key, "msg_2", NOW, "{\"amount\":1}"), "{\"amount\": 1}");

		assertThat(receiver.deliveries()).extracting(Delivery::verdict)
			.containsExactly("no v1 signature matches", "no v1 signature matches");
	}

	@Test
	void rejectsASignatureOfAnotherIdOrTimestamp() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);

		post(receiver, "msg_2", String.valueOf(NOW), sign(this.key, "msg_1", NOW, "{}"), "{}");
		post(receiver, "msg_1", String.valueOf(NOW - 1), sign(this.key, "msg_1", NOW, "{}"), "{}");

		assertThat(receiver.deliveries()).extracting(Delivery::verdict)
			.containsExactly("no v1 signature matches", "no v1 signature matches");
	}

	@Test
	void rejectsATimestampOutsideTheTolerance() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		long tooOld = NOW - TOLERANCE.toSeconds() - 1;
		long tooNew = NOW + TOLERANCE.toSeconds() + 1;

		post(receiver, "msg_old", String.valueOf(tooOld), sign(this.key, "msg_old", tooOld, "{}"), "{}");
		post(receiver, "msg_new", String.valueOf(tooNew), sign(this.key, "msg_new", tooNew, "{}"), "{}");
		String absurd = "1767225600000000000000";
		post(receiver, "msg_absurd", absurd, signText(this.key, "msg_absurd." + absurd + ".{}"), "{}");

		assertThat(receiver.deliveries()).extracting(Delivery::verdict)
			.containsExactly("timestamp outside tolerance", "timestamp outside tolerance",
					"timestamp outside tolerance");
	}

	@Test
	void acceptsATimestampAtTheEdgeOfTheTolerance() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		long oldest = NOW - TOLERANCE.toSeconds();
		long newest = NOW + TOLERANCE.toSeconds();

		post(receiver, "msg_old", String.valueOf(oldest), sign(this.key, "msg_old", oldest, "{}"), "{}");
		post(receiver, "msg_new", String.valueOf(newest), sign(this.key, "msg_new", newest, "{}"), "{}");

		assertThat(receiver.verified()).extracting(Delivery::webhookId).containsExactly("msg_old", "msg_new");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1767225600.0", "-1767225600", "+1767225600", "2026-01-01T00:00:00Z", "" })
	void rejectsATimestampThatIsNotAnIntegerNumberOfSeconds(String timestamp) throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);

		post(receiver, "msg_1", timestamp, signText(this.key, "msg_1." + timestamp + ".{}"), "{}");

		assertThat(receiver.deliveries()).singleElement()
			.satisfies((delivery) -> assertThat(delivery.verdict())
				.startsWith("webhook-timestamp is not an integer number of seconds"));
	}

	@Test
	void acceptsWhenAnyOfSeveralSignaturesMatches() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		String other = sign(randomKey(), "msg_1", NOW, "{}");
		String good = sign(this.key, "msg_1", NOW, "{}");
		String asymmetric = "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==";

		post(receiver, "msg_1", String.valueOf(NOW), other + " " + asymmetric + " " + good, "{}");

		assertThat(receiver.verified()).hasSize(1);
	}

	@Test
	void ignoresSignaturesOfOtherVersions() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		// The right HMAC, but labelled as another scheme: not a v1 signature.
		String relabelled = sign(this.key, "msg_1", NOW, "{}").replace("v1,", "v2,");

		post(receiver, "msg_1", String.valueOf(NOW), relabelled, "{}");

		assertThat(receiver.deliveries()).extracting(Delivery::verdict).containsExactly("no v1 signature");
	}

	@Test
	void acceptsASignatureMadeWithAnyOfTheSecretsDuringRotation() throws Exception {
		byte[] oldKey = randomKey();
		WebhookReceiver receiver = start(List.of(secretOf(oldKey), this.secret), CLOCK);

		post(receiver, "msg_old", String.valueOf(NOW), sign(oldKey, "msg_old", NOW, "{}"), "{}");
		post(receiver, "msg_new", String.valueOf(NOW), sign(this.key, "msg_new", NOW, "{}"), "{}");
		post(receiver, "msg_neither", String.valueOf(NOW), sign(randomKey(), "msg_neither", NOW, "{}"), "{}");

		assertThat(receiver.verified()).extracting(Delivery::webhookId).containsExactly("msg_old", "msg_new");
	}

	@ParameterizedTest
	@ValueSource(strings = { "webhook-id", "webhook-timestamp", "webhook-signature" })
	void rejectsADeliveryMissingAHeader(String missing) throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("webhook-id", "msg_1");
		headers.put("webhook-timestamp", String.valueOf(NOW));
		headers.put("webhook-signature", sign(this.key, "msg_1", NOW, "{}"));
		headers.remove(missing);

		send(receiver, "POST", headers, "{}");

		assertThat(receiver.deliveries()).singleElement()
			.satisfies((delivery) -> assertThat(delivery.verdict()).isEqualTo("missing " + missing));
	}

	@Test
	void recordsEveryRequestInArrivalOrderWithItsHeaders() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);

		post(receiver, "msg_1", String.valueOf(NOW), sign(this.key, "msg_1", NOW, "{}"), "{\"tampered\":true}");
		send(receiver, "PUT", Map.of("webhook-id", "msg_2", "webhook-timestamp", String.valueOf(NOW),
				"webhook-signature", sign(this.key, "msg_2", NOW, "{}")), "{}");
		post(receiver, "msg_3", String.valueOf(NOW), sign(this.key, "msg_3", NOW, "{}"), "{}");

		List<Delivery> deliveries = receiver.deliveries();
		assertThat(deliveries).extracting(Delivery::webhookId).containsExactly("msg_1", "msg_2", "msg_3");
		assertThat(deliveries).extracting(Delivery::verdict)
			.containsExactly("no v1 signature matches", "method PUT, not POST", "ok");
		assertThat(receiver.verified()).extracting(Delivery::webhookId).containsExactly("msg_3");
		Delivery first = deliveries.getFirst();
		assertThat(first.body()).isEqualTo("{\"tampered\":true}");
		assertThat(first.receivedAt()).isEqualTo(CLOCK.instant());
		assertThat(first.header("Content-Type")).isEqualTo("application/json");
		assertThat(first.headers()).containsEntry("content-type", "application/json")
			.containsEntry("webhook-id", "msg_1");
		assertThat(first.signatureHeader()).isEqualTo(first.header("webhook-signature"));
		// A snapshot: what arrives later does not change a list already taken.
		post(receiver, "msg_4", String.valueOf(NOW), sign(this.key, "msg_4", NOW, "{}"), "{}");
		assertThat(deliveries).hasSize(3);
		assertThat(receiver.deliveries()).hasSize(4);
	}

	@Test
	void answersWithTheScriptedStatuses() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		receiver.respondWith(500, 503, 200);

		List<Integer> statuses = new ArrayList<>();
		for (int i = 1; i <= 4; i++) {
			statuses.add(post(receiver, "msg_" + i, String.valueOf(NOW), sign(this.key, "msg_" + i, NOW, "{}"), "{}")
				.statusCode());
		}

		assertThat(statuses).containsExactly(500, 503, 200, 204);
		assertThat(receiver.deliveries()).extracting(Delivery::answeredStatus).containsExactly(500, 503, 200, 204);
	}

	@Test
	void answersTheNextRequestWithTheGivenStatusAndHeadersBeforeTheScript() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		receiver.respondWith(500);
		receiver.respondWith(503, Map.of("Retry-After", "7"));

		HttpResponse<Void> first = post(receiver, "msg_1", String.valueOf(NOW), sign(this.key, "msg_1", NOW, "{}"),
				"{}");
		HttpResponse<Void> second = post(receiver, "msg_1", String.valueOf(NOW), sign(this.key, "msg_1", NOW, "{}"),
				"{}");
		HttpResponse<Void> third = post(receiver, "msg_1", String.valueOf(NOW), sign(this.key, "msg_1", NOW, "{}"),
				"{}");

		assertThat(first.statusCode()).isEqualTo(503);
		assertThat(first.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(second.statusCode()).isEqualTo(500);
		assertThat(second.headers().firstValue("Retry-After")).isEmpty();
		assertThat(third.statusCode()).isEqualTo(204);
	}

	@Test
	void refusesStatusesThatAreNotFinalAnswers() {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);

		assertThatIllegalArgumentException().isThrownBy(() -> receiver.respondWith(204, 100));
		assertThatIllegalArgumentException().isThrownBy(() -> receiver.respondWith(600, Map.of()));
	}

	@Test
	void delaysEveryAnswer() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		receiver.delay(Duration.ofMillis(300));

		long started = System.nanoTime();
		HttpResponse<Void> response = post(receiver, "msg_1", String.valueOf(NOW), sign(this.key, "msg_1", NOW, "{}"),
				"{}");

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(response.statusCode()).isEqualTo(204);
	}

	@Test
	void recordsADeliveryWhoseSenderGaveUpWaiting() throws Exception {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		receiver.delay(Duration.ofMinutes(1));
		HttpRequest request = request(receiver, "msg_1", sign(this.key, "msg_1", NOW, "{}"))
			.timeout(Duration.ofMillis(200))
			.build();

		assertThatExceptionOfType(HttpTimeoutException.class)
			.isThrownBy(() -> CLIENT.send(request, HttpResponse.BodyHandlers.discarding()));

		// Recorded on arrival, though the sender timed out first; the handler may not
		// have run yet when the timeout fires, hence the wait.
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.verified().size() == 1);
	}

	@Test
	void closesWithoutWaitingForDelayedAnswers() {
		WebhookReceiver receiver = start(List.of(this.secret), CLOCK);
		receiver.delay(Duration.ofMinutes(1));
		CompletableFuture<HttpResponse<Void>> pending = CLIENT.sendAsync(
				request(receiver, "msg_1", sign(this.key, "msg_1", NOW, "{}")).build(),
				HttpResponse.BodyHandlers.discarding());
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveries().size() == 1);

		long started = System.nanoTime();
		receiver.close();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(pending).failsWithin(Duration.ofSeconds(10));
		assertThat(receiver.deliveries()).hasSize(1);
	}

	@Test
	void listensOnLoopbackOnAnEphemeralPort() {
		WebhookReceiver first = start(List.of(this.secret), CLOCK);
		WebhookReceiver second = start(List.of(this.secret), CLOCK);

		assertThat(first.url().getScheme()).isEqualTo("http");
		assertThat(first.url().getHost()).isEqualTo("127.0.0.1");
		assertThat(first.url().getPath()).isEqualTo("/hooks");
		assertThat(first.url().getPort()).isPositive().isNotEqualTo(second.url().getPort());
	}

	@Test
	void refusesSecretsNotInTheSpecificationsForm() {
		String base64 = Base64.getEncoder().encodeToString(this.key);

		assertThatIllegalArgumentException().isThrownBy(() -> WebhookReceiver.start(base64))
			.withMessageContaining("whsec_");
		assertThatIllegalArgumentException().isThrownBy(() -> WebhookReceiver.start("whsec_not base64!"))
			.withMessageContaining("base64");
		assertThatIllegalArgumentException().isThrownBy(() -> WebhookReceiver.start(secretOf(new byte[16])))
			.withMessageContaining("16 bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebhookReceiver.start(List.of(), Clock.systemUTC(), TOLERANCE));
	}

	@Test
	void startsOnTheSystemClockWithOneSecret() throws Exception {
		try (WebhookReceiver receiver = WebhookReceiver.start(this.secret)) {
			long now = Instant.now().getEpochSecond();

			post(receiver, "msg_1", String.valueOf(now), sign(this.key, "msg_1", now, "{}"), "{}");

			assertThat(receiver.verified()).hasSize(1);
		}
	}

	private WebhookReceiver start(List<String> secrets, Clock clock) {
		WebhookReceiver receiver = WebhookReceiver.start(secrets, clock, TOLERANCE);
		this.receivers.add(receiver);
		return receiver;
	}

	private static HttpResponse<Void> post(WebhookReceiver receiver, String id, String timestamp, String signature,
			String body) throws IOException, InterruptedException {
		return send(receiver, "POST",
				Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature), body);
	}

	private static HttpResponse<Void> send(WebhookReceiver receiver, String method, Map<String, String> headers,
			String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(receiver.url())
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		headers.forEach(request::header);
		return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding());
	}

	private static HttpRequest.Builder request(WebhookReceiver receiver, String id, String signature) {
		return HttpRequest.newBuilder(receiver.url())
			.header("webhook-id", id)
			.header("webhook-timestamp", String.valueOf(NOW))
			.header("webhook-signature", signature)
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
	}

	private static byte[] randomKey() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return key;
	}

	private static String secretOf(byte[] key) {
		return "whsec_" + Base64.getEncoder().encodeToString(key);
	}

	/**
	 * This test's own signing, checked against the reference vector: the receiver offers
	 * none, so that tests of the service never sign with anything but the service.
	 */
	private static String sign(byte[] key, String id, long timestamp, String body) {
		return signText(key, id + "." + timestamp + "." + body);
	}

	private static String signText(byte[] key, String content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
