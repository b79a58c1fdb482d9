package io.tollgate.alerting.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutException;
import io.tollgate.alerting.delivery.DestinationGuard.Allowed;
import io.tollgate.alerting.delivery.DestinationGuard.Refused;
import io.tollgate.alerting.delivery.DestinationGuard.Resolver;
import io.tollgate.alerting.delivery.DestinationGuard.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DestinationGuardTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	// No test touches real DNS: names resolve only through these fakes.
	private static final Resolver NO_LOOKUPS = (host) -> {
		throw new AssertionError("IP literals are judged without resolving, yet " + host + " was resolved");
	};

	private static final Resolver NAMES = fakeDns(Map.of("hooks.example.com", List.of(address("93.184.215.14")),
			"localhost", List.of(address("127.0.0.1"), address("::1")), "internal.example",
			List.of(address("10.1.2.3")), "mixed.example", List.of(address("93.184.215.14"), address("192.168.1.10")),
			"receiver.test", List.of(address("127.0.0.1")), "partly.example",
			List.of(address("127.0.0.1"), address("93.184.215.14"))));

	private final Queue<String> requests = new ConcurrentLinkedQueue<>();

	private final AtomicInteger connections = new AtomicInteger();

	private final CountDownLatch releaseSilent = new CountDownLatch(1);

	private ExecutorService serverThreads;

	private HttpServer server;

	@BeforeEach
	void startLocalServer() throws IOException {
		this.serverThreads = Executors.newCachedThreadPool();
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setExecutor(this.serverThreads);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	@AfterEach
	void stopLocalServer() {
		this.releaseSilent.countDown();
		this.server.stop(0);
		this.serverThreads.shutdownNow();
	}

	@Test
	void refusesLoopbackByDefault() {
		DestinationGuard guard = new DestinationGuard(List.of(), NO_LOOKUPS);
		assertForbidden(guard.check(URI.create("https://127.0.0.1/hook")), "127.0.0.1 is loopback");
		assertForbidden(guard.check(URI.create("https://127.8.9.10:8443/hook")), "127.8.9.10 is loopback");
		assertForbidden(guard.check(URI.create("https://[::1]/hook")), "::1 is loopback");
		assertForbidden(new DestinationGuard(List.of(), NAMES).check(URI.create("https://localhost/hook")),
				"localhost resolves to 127.0.0.1, which is loopback");
	}

	@Test
	void refusesThePrivateTenSlashEight() {
		DestinationGuard guard = new DestinationGuard(List.of(), NO_LOOKUPS);
		assertForbidden(guard.check(URI.create("https://10.0.0.1/hook")), "10.0.0.1 is private (10.0.0.0/8)");
		assertForbidden(guard.check(URI.create("https://10.255.255.255/hook")),
				"10.255.255.255 is private (10.0.0.0/8)");
		assertThat(guard.check(URI.create("https://11.0.0.1/hook"))).isEqualTo(new Allowed());
	}

	@Test
	void refusesTheCloudMetadataAddress() {
		DestinationGuard guard = new DestinationGuard(List.of(), NO_LOOKUPS);
		assertForbidden(guard.check(URI.create("https://169.254.169.254/latest/meta-data/")),
				"169.254.169.254 is link-local (the cloud metadata address)");
		// Plain http too, and as forbidden rather than merely insecure.
		assertForbidden(guard.check(URI.create("http://169.254.169.254/latest/meta-data/")),
				"169.254.169.254 is link-local (the cloud metadata address)");
		assertForbidden(guard.check(URI.create("https://[::ffff:169.254.169.254]/")),
				"169.254.169.254 is link-local (the cloud metadata address)");
	}

	@Test
	void refusesANameThatResolvesToAPrivateAddress() {
		DestinationGuard guard = new DestinationGuard(List.of(), NAMES);
		assertForbidden(guard.check(URI.create("https://internal.example/hook")),
				"internal.example resolves to 10.1.2.3, which is private (10.0.0.0/8)");
	}

	@Test
	void refusesANameWhenAnyOfItsAddressesIsPrivate() {
		DestinationGuard guard = new DestinationGuard(List.of(), NAMES);
		assertForbidden(guard.check(URI.create("https://mixed.example/hook")),
				"mixed.example resolves to 192.168.1.10, which is private (192.168.0.0/16)");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					172.16.0.1            | 172.16.0.1 is private (172.16.0.0/12)
					172.31.255.255        | 172.31.255.255 is private (172.16.0.0/12)
					192.168.0.1           | 192.168.0.1 is private (192.168.0.0/16)
					100.64.0.1            | 100.64.0.1 is carrier-grade NAT (100.64.0.0/10)
					169.254.1.1           | 169.254.1.1 is link-local
					0.0.0.0               | 0.0.0.0 is the unspecified (any-local) address
					0.1.2.3               | 0.1.2.3 is in 0.0.0.0/8 (this network)
					255.255.255.255       | 255.255.255.255 is the broadcast address
					224.0.0.1             | 224.0.0.1 is multicast
					240.0.0.1             | 240.0.0.1 is reserved (240.0.0.0/4)
					192.0.2.1             | 192.0.2.1 is reserved for documentation (192.0.2.0/24)
					[::]                  | :: is the unspecified (any-local) address
					[fe80::1]             | fe80::1 is link-local
					[fc00::1]             | fc00::1 is unique-local (fc00::/7)
					[fd00:ec2::254]       | fd00:ec2::254 is unique-local (fc00::/7)
					[ff02::1]             | ff02::1 is multicast
					[::ffff:10.0.0.1]     | 10.0.0.1 is private (10.0.0.0/8)
					[::ffff:127.0.0.1]    | 127.0.0.1 is loopback
					[64:ff9b::a00:1]      | 64:ff9b::a00:1 is a NAT64 address for 10.0.0.1, which is private (10.0.0.0/8)
					[2002:a9fe:a9fe::1]   | 2002:a9fe:a9fe::1 is a 6to4 address for 169.254.169.254, which is link-local (the cloud metadata address)
					[2001:db8::1]         | 2001:db8::1 is reserved for documentation (2001:db8::/32)
					[100::1]              | 100::1 is not a global unicast address (outside 2000::/3)
					""")
	void refusesEveryOtherNonPublicRange(String host, String message) {
		DestinationGuard guard = new DestinationGuard(List.of(), NO_LOOKUPS);
		assertForbidden(guard.check(URI.create("https://" + host + "/hook")), message);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://93.184.215.14/hook", "https://8.8.8.8:8443/hook",
			"https://[2606:4700:4700::1111]/hook", "https://[64:ff9b::808:808]/hook", "https://hooks.example.com/hook",
			"HTTPS://hooks.example.com/hook?tenant=a" })
	void allowsPublicHttpsUrls(String url) {
		assertThat(new DestinationGuard(List.of(), NAMES).check(URI.create(url))).isEqualTo(new Allowed());
	}

	@Test
	void refusesPlainHttpToAPublicAddress() {
		DestinationGuard guard = new DestinationGuard(List.of("127.0.0.0/8"), NAMES);
		Verdict verdict = guard.check(URI.create("http://hooks.example.com/hook"));
		assertThat(verdict).isInstanceOfSatisfying(Refused.class, (refused) -> {
			assertThat(refused.code()).isEqualTo("insecure_url");
			assertThat(refused.message()).contains("hooks.example.com resolves to 93.184.215.14").contains("https");
		});
		assertThat(guard.check(URI.create("http://93.184.215.14/hook"))).extracting("code").isEqualTo("insecure_url");
	}

	@Test
	void allowsAnAllowlistedLoopbackOverHttp() {
		DestinationGuard guard = new DestinationGuard(List.of("127.0.0.0/8", "::1/128"), NAMES);
		assertThat(guard.check(URI.create("http://127.0.0.1:8080/hook"))).isEqualTo(new Allowed());
		assertThat(guard.check(URI.create("http://[::1]:8080/hook"))).isEqualTo(new Allowed());
		assertThat(guard.check(URI.create("http://localhost:8080/hook"))).isEqualTo(new Allowed());
		assertThat(guard.check(URI.create("https://127.0.0.1/hook"))).isEqualTo(new Allowed());
		// The allowlist names networks, not "everything private".
		assertForbidden(guard.check(URI.create("http://10.0.0.1/hook")), "10.0.0.1 is private (10.0.0.0/8)");
	}

	@Test
	void judgesEveryAddressOfANameAgainstTheAllowlist() {
		DestinationGuard guard = new DestinationGuard(List.of("127.0.0.0/8"), NAMES);
		// localhost answers 127.0.0.1 and ::1; only the first is allowlisted.
		assertForbidden(guard.check(URI.create("http://localhost:8080/hook")),
				"localhost resolves to ::1, which is loopback");
		// One allowlisted and one public address: public is fine over https only.
		assertThat(guard.check(URI.create("https://partly.example/hook"))).isEqualTo(new Allowed());
		assertThat(guard.check(URI.create("http://partly.example/hook"))).isEqualTo(new Refused("insecure_url",
				"partly.example resolves to 93.184.215.14, which is not in a network allowed plain http;"
						+ " the webhook URL must use https"));
	}

	@Test
	void allowlistsSingleHostsAndIpv4MappedNetworks() {
		DestinationGuard guard = new DestinationGuard(List.of("10.1.2.3/32", "::ffff:192.168.0.0/112"), NAMES);
		assertThat(guard.check(URI.create("http://internal.example/hook"))).isEqualTo(new Allowed());
		assertThat(guard.check(URI.create("http://192.168.4.5/hook"))).isEqualTo(new Allowed());
		assertForbidden(guard.check(URI.create("http://10.1.2.4/hook")), "10.1.2.4 is private (10.0.0.0/8)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/hook", "hooks.example.com/hook", "mailto:ops@example.com", "ftp://hooks.example.com/",
			"https://user:secret@hooks.example.com/hook", "https://hooks.example.com/hook#fragment", "https:///hook",
			"https://bad_host.example.com/hook" })
	void refusesUrlsThatAreNoWebhookUrl(String url) {
		Verdict verdict = new DestinationGuard(List.of(), NAMES).check(URI.create(url));
		assertThat(verdict).extracting("code").isEqualTo("invalid_url");
	}

	@Test
	void refusesAHostThatDoesNotResolve() {
		DestinationGuard guard = new DestinationGuard(List.of(), NAMES);
		Verdict verdict = guard.check(URI.create("https://nowhere.example/hook"));
		assertThat(verdict)
			.isEqualTo(new Refused("unresolvable_host", "nowhere.example does not resolve to any address"));
		DestinationGuard empty = new DestinationGuard(List.of(), (host) -> List.of());
		assertThat(empty.check(URI.create("https://nowhere.example/hook"))).extracting("code")
			.isEqualTo("unresolvable_host");
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0", "10.0.0.0/33", "::1/129", "localhost/8", "10.0.0.0/", "10.0.0.0/-1",
			"10.0.0.0/8x", "10.1.2.3/8" })
	void refusesAMalformedAllowlistEntryByName(String cidr) {
		assertThatIllegalArgumentException().isThrownBy(() -> new DestinationGuard(List.of("127.0.0.0/8", cidr), NAMES))
			.withMessageContaining("'" + cidr + "'");
	}

	@Test
	void skipsBlankAllowlistEntries() {
		DestinationGuard guard = new DestinationGuard(List.of("", " "), NO_LOOKUPS);
		assertForbidden(guard.check(URI.create("https://127.0.0.1/hook")), "127.0.0.1 is loopback");
	}

	@Test
	void refusesAtConnectTimeWhenTheNameNowResolvesPrivately() {
		// DNS rebinding: public when checked, loopback when the delivery connects.
		AtomicInteger lookups = new AtomicInteger();
		DestinationGuard guard = new DestinationGuard(List.of(),
				(host) -> List.of(address((lookups.incrementAndGet() == 1) ? "93.184.215.14" : "127.0.0.1")));
		URI url = URI.create("https://hooks.example.com:" + port() + "/hook");
		assertThat(guard.check(url)).isEqualTo(new Allowed());
		StepVerifier.create(post(guard, url, "/hook"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOfSatisfying(DestinationRefusedException.class,
					(refused) -> assertThat(refused.refused()).isEqualTo(new Refused("forbidden_destination",
							"hooks.example.com resolves to 127.0.0.1, which is loopback"))))
			.verify(TIMEOUT);
		assertThat(lookups).hasValue(2);
		assertThat(this.connections).hasValue(0);
		assertThat(this.requests).isEmpty();
	}

	@Test
	void refusesALiteralAddressAtConnectTime() {
		// Reactor Netty treats an IP literal as already resolved; the guard checks it all
		// the same.
		DestinationGuard guard = new DestinationGuard(List.of(), NO_LOOKUPS);
		StepVerifier.create(post(guard, URI.create("http://127.0.0.1:" + port() + "/hook"), "/hook"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(DestinationRefusedException.class)
				.hasMessageContaining("127.0.0.1 is loopback"))
			.verify(TIMEOUT);
		assertThat(this.connections).hasValue(0);
		assertThat(this.requests).isEmpty();
	}

	@Test
	void connectsToAnAllowlistedLocalServer() {
		DestinationGuard guard = new DestinationGuard(List.of("127.0.0.0/8"), NO_LOOKUPS);
		StepVerifier.create(post(guard, URI.create("http://127.0.0.1:" + port() + "/hook"), "{\"alert\":1}"))
			.expectNext(204)
			.verifyComplete();
		assertThat(this.requests).containsExactly("POST /hook {\"alert\":1}");
		assertThat(this.connections).hasValue(1);
	}

	@Test
	void connectsByNameToAnAllowlistedLocalServer() {
		DestinationGuard guard = new DestinationGuard(List.of("127.0.0.0/8"), NAMES);
		StepVerifier.create(post(guard, URI.create("http://receiver.test:" + port() + "/hook"), "{}"))
			.expectNext(204)
			.verifyComplete();
		assertThat(this.requests).containsExactly("POST /hook {}");
	}

	@Test
	void doesNotFollowRedirects() {
		DestinationGuard guard = new DestinationGuard(List.of("127.0.0.0/8"), NO_LOOKUPS);
		StepVerifier.create(post(guard, URI.create("http://127.0.0.1:" + port() + "/redirect"), "{}"))
			.expectNext(302)
			.verifyComplete();
		assertThat(this.requests).containsExactly("POST /redirect {}");
	}

	@Test
	void timesOutAServerThatDoesNotAnswer() {
		DestinationGuard guard = new DestinationGuard(List.of("127.0.0.0/8"), NO_LOOKUPS);
		HttpClient client = guard.httpClient(Duration.ofMillis(200));
		Mono<Integer> status = client.post()
			.uri(URI.create("http://127.0.0.1:" + port() + "/silent"))
			.send(ByteBufFlux.fromString(Mono.just("{}")))
			.responseSingle((response, body) -> Mono.just(response.status().code()));
		StepVerifier.create(status).expectError(ReadTimeoutException.class).verify(TIMEOUT);
	}

	private Mono<Integer> post(DestinationGuard guard, URI url, String body) {
		return guard.httpClient(TIMEOUT)
			// Counts TCP connections, to show a refusal happens before any is made.
			.doOnChannelInit(
					(observer, channel, remote) -> channel.pipeline().addFirst(new ChannelInboundHandlerAdapter() {

						@Override
						public void channelActive(ChannelHandlerContext context) {
							DestinationGuardTests.this.connections.incrementAndGet();
							context.fireChannelActive();
						}

					}))
			.post()
			.uri(url)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response,
					content) -> content.asString().defaultIfEmpty("").map((ignored) -> response.status().code()));
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String path = exchange.getRequestURI().getPath();
		this.requests.add(exchange.getRequestMethod() + " " + path + " " + body);
		switch (path) {
			case "/redirect" -> {
				exchange.getResponseHeaders().set("Location", "/elsewhere");
				exchange.sendResponseHeaders(302, -1);
			}
			case "/silent" -> {
				try {
					this.releaseSilent.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				exchange.sendResponseHeaders(204, -1);
			}
			default -> exchange.sendResponseHeaders(204, -1);
		}
		exchange.close();
	}

	private int port() {
		return this.server.getAddress().getPort();
	}

	private static void assertForbidden(Verdict verdict, String message) {
		assertThat(verdict).isEqualTo(new Refused("forbidden_destination", message));
	}

	private static Resolver fakeDns(Map<String, List<InetAddress>> answers) {
		return (host) -> {
			List<InetAddress> addresses = answers.get(host);
			if (addresses == null) {
				throw new UnknownHostException(host);
			}
			return addresses;
		};
	}

	private static InetAddress address(String literal) {
		try {
			// A literal, so no lookup.
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
