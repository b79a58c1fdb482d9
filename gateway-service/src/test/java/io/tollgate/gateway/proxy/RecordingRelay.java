package io.tollgate.gateway.proxy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Sits between the gateway and the provider simulator and records, byte for byte, the
 * requests the gateway sent and the responses it received, so that a test can compare
 * them with what the client sent and received: the only way to check "same bytes" when
 * the provider's answers carry fresh ids every time.
 */
final class RecordingRelay implements AutoCloseable {

	/**
	 * One exchange as seen between gateway and provider.
	 */
	record Exchange(String method, String uri, Map<String, String> requestHeaders, byte[] requestBody, int status,
			Map<String, String> responseHeaders, ByteArrayOutputStream responseBody) {

		byte[] responseBytes() {
			synchronized (this.responseBody) {
				return this.responseBody.toByteArray();
			}
		}

	}

	private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

	private final LoopResources loops = LoopResources.create("relay", 1, 2, true);

	private final DisposableServer server;

	RecordingRelay(String target) {
		HttpClient client = HttpClient.create().compress(false).baseUrl(target);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive()
				.aggregate()
				.asByteArray()
				.defaultIfEmpty(new byte[0])
				.flatMapMany((body) -> client.headers((headers) -> copy(request.requestHeaders(), headers))
					.request(request.method())
					.uri(request.uri())
					.send((out, outbound) -> outbound.sendByteArray(reactor.core.publisher.Mono.just(body)))
					.response((upstream, content) -> {
						ByteArrayOutputStream recorded = new ByteArrayOutputStream();
						this.exchanges
							.add(new Exchange(request.method().name(), request.uri(), flatten(request.requestHeaders()),
									body, upstream.status().code(), flatten(upstream.responseHeaders()), recorded));
						response.status(upstream.status());
						upstream.responseHeaders().forEach((entry) -> {
							String name = entry.getKey();
							if (!name.equalsIgnoreCase("transfer-encoding") && !name.equalsIgnoreCase("connection")) {
								response.addHeader(name, entry.getValue());
							}
						});
						Flux<ByteBuf> copied = content.map((buffer) -> {
							byte[] bytes = new byte[buffer.readableBytes()];
							buffer.getBytes(buffer.readerIndex(), bytes);
							synchronized (recorded) {
								recorded.writeBytes(bytes);
							}
							return Unpooled.wrappedBuffer(bytes);
						});
						return response.send(copied, (buffer) -> true);
					}))
				.then())
			.bindNow();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	List<Exchange> exchanges() {
		return List.copyOf(this.exchanges);
	}

	Exchange last() {
		return this.exchanges.getLast();
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.disposeLater().block();
	}

	private static void copy(HttpHeaders from, HttpHeaders to) {
		from.forEach((entry) -> {
			if (!entry.getKey().equalsIgnoreCase("host")) {
				to.add(entry.getKey(), entry.getValue());
			}
		});
	}

	private static Map<String, String> flatten(HttpHeaders headers) {
		Map<String, String> flat = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((entry) -> flat.merge(entry.getKey(), entry.getValue(), (a, b) -> a + "," + b));
		return flat;
	}

}
