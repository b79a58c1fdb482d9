package io.tollgate.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP endpoint that receives webhooks in integration tests and checks them
 * against the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 * specification: the {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature} headers, an HMAC-SHA256 {@code v1} signature of
 * {@code {id}.{timestamp}.{body}} under a {@code whsec_} secret, and a timestamp within a
 * tolerance of this receiver's clock.
 * <p>
 * The verification is written here from the specification alone, on purpose: it must
 * never call the signer of the service under test, or a bug shared by both would pass.
 * For the same reason this class offers no signing helper.
 * <p>
 * Every request to {@link #url()} is recorded as a {@link Delivery}, verified or not, so
 * that a test sees what was sent as well as whether it verified. It is answered with
 * {@code 204} unless a test scripts other answers ({@link #respondWith(int...)},
 * {@link #respondWith(int, Map)}) or slows them ({@link #delay(Duration)}), to exercise
 * the sender's retries and timeouts. The receiver listens on {@code 127.0.0.1} on a port
 * the system picks, so parallel test JVMs never collide.
 */
public final class WebhookReceiver implements AutoCloseable {

	/** The path the webhooks are posted to; any other path is answered 404 by the JDK. */
	static final String PATH = "/hooks";

	/**
	 * The answer when nothing is scripted: a 2xx, which the specification calls success.
	 */
	static final int DEFAULT_STATUS = 204;

	/**
	 * The specification asks for "some allowable tolerance" without a number; five
	 * minutes is what its reference libraries use.
	 */
	static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

	static final String SECRET_PREFIX = "whsec_";

	// The specification: "Random. At least 24 bytes (192 bits, 512 maximum)".
	static final int MIN_KEY_BYTES = 24;

	static final int MAX_KEY_BYTES = 64;

	// "integer unix timestamp (seconds since epoch)": digits only, no sign, no fraction.
	private static final Pattern SECONDS = Pattern.compile("[0-9]+");

	private final List<byte[]> keys;

	private final Clock clock;

	private final Duration tolerance;

	private final HttpServer server;

	private final ExecutorService executor;

	// Guards the script and the record together, so that the n-th request to arrive is
	// the n-th delivery and gets the n-th scripted answer.
	private final Object lock = new Object();

	private final List<Delivery> deliveries = new ArrayList<>();

	private final Deque<Answer> oneOffAnswers = new ArrayDeque<>();

	private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();

	private volatile Duration delay = Duration.ZERO;

	private final AtomicBoolean closed = new AtomicBoolean();

	private WebhookReceiver(List<byte[]> keys, Clock clock, Duration tolerance) throws IOException {
		this.keys = keys;
		this.clock = clock;
		this.tolerance = tolerance;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), 0),
				0);
		// A thread per request: a delayed answer must not hold up the next request, as it
		// would on the JDK's default single dispatcher thread.
		this.executor = Executors.newVirtualThreadPerTaskExecutor();
		this.server.setExecutor(this.executor);
		this.server.createContext(PATH, this::handle);
		this.server.start();
	}

	/**
	 * Starts a receiver that verifies with one secret, on the system clock, with a
	 * tolerance of five minutes.
	 * @param secret the endpoint's signing secret: {@code whsec_} followed by the base64
	 * of 24 to 64 key bytes
	 * @return the running receiver; close it after the test
	 * @throws IllegalArgumentException if the secret is not of that form
	 */
	public static WebhookReceiver start(String secret) {
		return start(List.of(secret), Clock.systemUTC(), DEFAULT_TOLERANCE);
	}

	/**
	 * Starts a receiver that accepts a signature made with any of several secrets, as
	 * while a secret is rotated, on the given clock.
	 * @param secrets the secrets, each {@code whsec_} followed by the base64 of 24 to 64
	 * key bytes; at least one
	 * @param clock the receiver's clock, against which {@code webhook-timestamp} is
	 * checked and {@link Delivery#receivedAt()} is read; a fixed or test clock in tests
	 * that control time
	 * @param tolerance how far {@code webhook-timestamp} may lie before or after the
	 * clock (inclusive)
	 * @return the running receiver; close it after the test
	 * @throws IllegalArgumentException if there is no secret, a secret is not of that
	 * form, or the tolerance is negative
	 */
	public static WebhookReceiver start(List<String> secrets, Clock clock, Duration tolerance) {
		if (secrets.isEmpty()) {
			throw new IllegalArgumentException("at least one secret is needed");
		}
		if (tolerance.isNegative()) {
			throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
		}
		List<byte[]> keys = secrets.stream().map(WebhookReceiver::key).toList();
		try {
			return new WebhookReceiver(keys, clock, tolerance);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start the webhook receiver", ex);
		}
	}

	/**
	 * The HMAC key of a secret: the specification serialises a secret as {@code whsec_}
	 * plus base64, and signs with the decoded bytes, not with the text. Signing with the
	 * text is the classic mistake this receiver exists to catch.
	 */
	static byte[] key(String secret) {
		if (!secret.startsWith(SECRET_PREFIX)) {
			throw new IllegalArgumentException("a Standard Webhooks secret starts with '" + SECRET_PREFIX + "'");
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("the part of the secret after '" + SECRET_PREFIX + "' is not base64",
					ex);
		}
		if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
			throw new IllegalArgumentException("the secret's key has " + key.length + " bytes; the specification asks "
					+ MIN_KEY_BYTES + " to " + MAX_KEY_BYTES);
		}
		return key;
	}

	/**
	 * The URL to register as the webhook endpoint.
	 * @return {@code http://127.0.0.1:<port>/hooks}
	 */
	public URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + PATH);
	}

	/**
	 * Every request received so far, verified or not, in the order of arrival.
	 * @return a snapshot, unaffected by later requests
	 */
	public List<Delivery> deliveries() {
		synchronized (this.lock) {
			return List.copyOf(this.deliveries);
		}
	}

	/**
	 * The requests received so far whose headers, signature and timestamp verified, in
	 * the order of arrival.
	 * @return a snapshot, unaffected by later requests
	 */
	public List<Delivery> verified() {
		return deliveries().stream().filter(Delivery::verified).toList();
	}

	/**
	 * Scripts the answers to the next requests: the first request after this call gets
	 * the first status, and so on; once they are used up, requests get {@code 204} again.
	 * Replaces the statuses of an earlier call not yet used.
	 * @param statuses HTTP statuses, each from 200 to 599
	 * @throws IllegalArgumentException if a status is outside that range
	 */
	public void respondWith(int... statuses) {
		for (int status : statuses) {
			checkStatus(status);
		}
		synchronized (this.lock) {
			this.scriptedStatuses.clear();
			for (int status : statuses) {
				this.scriptedStatuses.add(status);
			}
		}
	}

	/**
	 * Answers the next request with a status and headers, such as {@code 503} with
	 * {@code Retry-After}; the requests after it get the script of
	 * {@link #respondWith(int...)}, or {@code 204}. It comes before the script and uses
	 * none of it; several calls answer as many requests, in the order of the calls.
	 * @param status an HTTP status from 200 to 599
	 * @param headers the response headers to send with it
	 * @throws IllegalArgumentException if the status is outside that range
	 */
	public void respondWith(int status, Map<String, String> headers) {
		checkStatus(status);
		Answer answer = new Answer(status, Map.copyOf(headers));
		synchronized (this.lock) {
			this.oneOffAnswers.add(answer);
		}
	}

	/**
	 * Makes every answer wait first, as a slow endpoint does, to exercise the sender's
	 * timeout. The request is recorded when it arrives, before the wait, so a test can
	 * see it even while the sender is still waiting or after it gave up.
	 * @param delay how long each answer waits; zero for none
	 * @throws IllegalArgumentException if the delay is negative
	 */
	public void delay(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative: " + delay);
		}
		this.delay = delay;
	}

	/**
	 * Stops listening, without waiting for delayed answers: connections still open are
	 * closed. The deliveries remain readable. Closing again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.server.stop(0);
		// Interrupts handlers still waiting out a delay.
		this.executor.shutdownNow();
	}

	private static void checkStatus(int status) {
		// 1xx are not final answers, and the JDK server cannot send them as such.
		if (status < 200 || status > 599) {
			throw new IllegalArgumentException("a status from 200 to 599 is needed, not " + status);
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			Headers requestHeaders = exchange.getRequestHeaders();
			@Nullable String id = single(requestHeaders, "webhook-id");
			@Nullable String timestamp = single(requestHeaders, "webhook-timestamp");
			@Nullable String signature = single(requestHeaders, "webhook-signature");
			Answer answer;
			synchronized (this.lock) {
				// Read the clock here, not before the body, so receivedAt follows arrival
				// order.
				Instant receivedAt = this.clock.instant();
				String verdict = verdict(exchange.getRequestMethod(), requestHeaders, body, receivedAt);
				answer = nextAnswer();
				this.deliveries.add(new Delivery(id, timestamp, signature, new String(body, StandardCharsets.UTF_8),
						headers(requestHeaders), receivedAt, Delivery.OK.equals(verdict), verdict, answer.status()));
			}
			Duration wait = this.delay;
			if (wait.isPositive()) {
				try {
					Thread.sleep(wait);
				}
				catch (InterruptedException ex) {
					// Closing: the sender gets a closed connection, as from a dying
					// server.
					Thread.currentThread().interrupt();
					return;
				}
			}
			answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
			// No body: the specification judges a delivery by its status alone.
			exchange.sendResponseHeaders(answer.status(), -1);
		}
	}

	private Answer nextAnswer() {
		Answer oneOff = this.oneOffAnswers.poll();
		if (oneOff != null) {
			return oneOff;
		}
		Integer scripted = this.scriptedStatuses.poll();
		return new Answer((scripted != null) ? scripted : DEFAULT_STATUS, Map.of());
	}

	/**
	 * Why a request does not verify, or {@link Delivery#OK}. The checks follow the
	 * specification's "Verifying signatures" section, cheapest first.
	 */
	private String verdict(String method, Headers headers, byte[] body, Instant now) {
		if (!"POST".equals(method)) {
			return "method " + method + ", not POST";
		}
		for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
			List<String> values = headers.get(name);
			if (values == null || values.isEmpty()) {
				return "missing " + name;
			}
			if (values.size() > 1) {
				return "more than one " + name + " header";
			}
		}
		String id = headers.getFirst("webhook-id");
		String timestamp = headers.getFirst("webhook-timestamp");
		String signatures = headers.getFirst("webhook-signature");
		if (!SECONDS.matcher(timestamp).matches()) {
			return "webhook-timestamp is not an integer number of seconds: " + timestamp;
		}
		if (!withinTolerance(timestamp, now)) {
			return "timestamp outside tolerance";
		}
		List<byte[]> candidates = new ArrayList<>();
		for (String entry : signatures.split(" ")) {
			// "v1,<base64>"; other versions (such as v1a, asymmetric) are not for this
			// receiver to judge, and an empty entry comes from a doubled space.
			if (entry.startsWith("v1,")) {
				candidates.add(entry.substring(3).getBytes(StandardCharsets.US_ASCII));
			}
		}
		if (candidates.isEmpty()) {
			return "no v1 signature";
		}
		byte[] content = signedContent(id, timestamp, body);
		boolean matched = false;
		for (byte[] key : this.keys) {
			// The base64 texts are compared, as the specification's reference libraries
			// do: a signature must be sent in the standard alphabet, with its padding.
			byte[] expected = Base64.getEncoder().encode(hmacSha256(key, content));
			for (byte[] candidate : candidates) {
				// Constant time, and no early exit, as the specification asks of
				// receivers.
				matched |= MessageDigest.isEqual(expected, candidate);
			}
		}
		return matched ? Delivery.OK : "no v1 signature matches";
	}

	private boolean withinTolerance(String timestamp, Instant now) {
		try {
			// Whole seconds on both sides, so a tolerance of N seconds means N exactly.
			Duration skew = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)),
					Instant.ofEpochSecond(now.getEpochSecond()));
			return skew.abs().compareTo(this.tolerance) <= 0;
		}
		catch (NumberFormatException | DateTimeException | ArithmeticException ex) {
			// Digits beyond any instant: an integer, but surely not near now.
			return false;
		}
	}

	/** {@code {id}.{timestamp}.{body}}, the body as the raw bytes received. */
	private static byte[] signedContent(String id, String timestamp, byte[] body) {
		byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
		byte[] content = new byte[prefix.length + body.length];
		System.arraycopy(prefix, 0, content, 0, prefix.length);
		System.arraycopy(body, 0, content, prefix.length, body.length);
		return content;
	}

	private static byte[] hmacSha256(byte[] key, byte[] content) {
		try {
			// A Mac is not thread-safe, and requests are handled concurrently.
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(content);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("every JDK has HmacSHA256", ex);
		}
	}

	private static @Nullable String single(Headers headers, String name) {
		List<String> values = headers.get(name);
		return (values == null || values.isEmpty()) ? null : values.getFirst();
	}

	/** Lower-case names, for lookups that do not depend on the sender's spelling. */
	private static Map<String, String> headers(Headers headers) {
		Map<String, String> copy = new TreeMap<>();
		headers.forEach((name, values) -> copy.merge(name.toLowerCase(Locale.ROOT), String.join(", ", values),
				(first, second) -> first + ", " + second));
		return Collections.unmodifiableMap(copy);
	}

	private record Answer(int status, Map<String, String> headers) {
	}

	/**
	 * One request as the receiver got it, and its judgement.
	 *
	 * @param webhookId the {@code webhook-id} header (the first, if repeated), or
	 * {@code null} if absent
	 * @param timestamp the {@code webhook-timestamp} header as sent, or {@code null}
	 * @param signatureHeader the {@code webhook-signature} header as sent, or
	 * {@code null}
	 * @param body the body, decoded as UTF-8 (verification used the raw bytes)
	 * @param headers every request header, names in lower case, repeated values joined
	 * with {@code ", "}
	 * @param receivedAt when it arrived, on the receiver's clock
	 * @param verified whether it is a POST with one of each {@code webhook-} header, a
	 * timestamp within tolerance and a {@code v1} signature made with one of the secrets
	 * @param verdict {@code "ok"}, or why not, such as {@code "no v1 signature matches"},
	 * {@code "timestamp outside tolerance"}, {@code "missing webhook-id"}
	 * @param answeredStatus the status the receiver chose for it; with a
	 * {@link WebhookReceiver#delay(Duration) delay}, the sender may have given up before
	 * it was sent
	 */
	public record Delivery(@Nullable String webhookId, @Nullable String timestamp, @Nullable String signatureHeader,
			String body, Map<String, String> headers, Instant receivedAt, boolean verified, String verdict,
			int answeredStatus) {

		/** The verdict of a delivery that verified. */
		public static final String OK = "ok";

		/**
		 * A request header.
		 * @param name its name, in any case
		 * @return its value, or {@code null} if it was not sent
		 */
		public @Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

}
