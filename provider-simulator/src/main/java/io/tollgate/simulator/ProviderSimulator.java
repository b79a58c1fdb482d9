package io.tollgate.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A fake Anthropic, OpenAI and Gemini endpoint on a local port, answering in each
 * provider's wire format with scripted usage, pacing and failures.
 *
 * <p>
 * Routes: {@code POST /v1/messages} (JSON, or SSE with {@code "stream": true}),
 * {@code POST /v1/messages/count_tokens}, {@code POST /v1/messages/batches}, {@code GET
 * /v1/messages/batches/{id}}, {@code POST /v1/messages/batches/{id}/cancel}, {@code GET
 * /v1/messages/batches/{id}/results} (JSONL); {@code POST /v1/chat/completions} and
 * {@code POST /v1/responses} (JSON or SSE); {@code POST
 * /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent} (SSE with
 * {@code ?alt=sse}, a streamed JSON array otherwise).
 *
 * <p>
 * Each request is answered by one {@link Script}: the one its {@code x-simulator-*}
 * headers describe (over the default script), else the next {@linkplain #enqueue(Script)
 * enqueued} one, else the {@linkplain #setDefault(Script) default}. Every request is
 * recorded for {@link #takeRequest(Duration)}.
 */
public final class ProviderSimulator implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ProviderSimulator.class);

	/** How many requests are kept for inspection; older ones are dropped. */
	static final int RECORD_LIMIT = 10_000;

	private static final String LOOPBACK = "127.0.0.1";

	private static final byte[] EMPTY = new byte[0];

	private final DisposableServer server;

	private final LoopResources loops;

	private final String baseUrl;

	private final ConcurrentLinkedQueue<Script> queue = new ConcurrentLinkedQueue<>();

	private volatile Script defaultScript = Script.defaults();

	private final Batches batches = new Batches();

	private volatile boolean recording = true;

	private final ConcurrentLinkedDeque<RecordedRequest> history = new ConcurrentLinkedDeque<>();

	private final AtomicInteger historySize = new AtomicInteger();

	private final LinkedBlockingDeque<RecordedRequest> untaken = new LinkedBlockingDeque<>(RECORD_LIMIT);

	private final AtomicInteger cancelledStreams = new AtomicInteger();

	private ProviderSimulator(String host, int port) {
		// Event loops of its own: Reactor Netty's global ones are disposed whenever a
		// Spring
		// application context in the same JVM closes, which would silently stop the
		// simulator.
		this.loops = LoopResources.create("simulator", 1, Math.max(2, Runtime.getRuntime().availableProcessors()),
				true);
		this.server = HttpServer.create().runOn(this.loops).host(host).port(port).handle(this::handle).bindNow();
		String urlHost = ("0.0.0.0".equals(host) || "::".equals(host)) ? LOOPBACK : host;
		this.baseUrl = "http://" + urlHost + ":" + this.server.port();
		logger.info("Provider simulator listening on {}:{}", host, this.server.port());
	}

	/**
	 * Starts a simulator on a free port of 127.0.0.1.
	 * @return the running simulator
	 */
	public static ProviderSimulator start() {
		return start(0);
	}

	/**
	 * Starts a simulator on a port of 127.0.0.1.
	 * @param port the port, or 0 for a free one
	 * @return the running simulator
	 */
	public static ProviderSimulator start(int port) {
		return start(LOOPBACK, port);
	}

	/**
	 * Starts a simulator on an address, e.g. {@code 0.0.0.0} inside a container.
	 * @param host the address to bind
	 * @param port the port, or 0 for a free one
	 * @return the running simulator
	 */
	public static ProviderSimulator start(String host, int port) {
		return new ProviderSimulator(host, port);
	}

	/**
	 * The URL to point a client at, e.g. {@code http://127.0.0.1:41234} (no trailing
	 * slash).
	 * @return the base URL
	 */
	public String baseUrl() {
		return this.baseUrl;
	}

	/**
	 * The port the simulator listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * Adds a script for a coming request. Requests without {@code x-simulator-*} headers
	 * take enqueued scripts in FIFO order, whatever their route.
	 * @param script the script
	 */
	public void enqueue(Script script) {
		this.queue.add(Objects.requireNonNull(script, "script"));
	}

	/**
	 * How many enqueued scripts no request has taken yet.
	 * @return the number of waiting scripts
	 */
	public int queuedScripts() {
		return this.queue.size();
	}

	/**
	 * Sets the script for requests that find no header script and an empty queue, and the
	 * base that {@code x-simulator-*} headers modify.
	 * @param script the default script
	 */
	public void setDefault(Script script) {
		this.defaultScript = Objects.requireNonNull(script, "script");
	}

	/**
	 * The current default script.
	 * @return the default script
	 */
	public Script defaultScript() {
		return this.defaultScript;
	}

	/**
	 * Adds a Message Batch that has already ended with the given results, replacing any
	 * batch with the same id.
	 * @param batchId the batch id, e.g. {@code msgbatch_test1}
	 * @param results the results, one per request of the batch
	 */
	public void addBatch(String batchId, List<BatchResult> results) {
		this.batches.add(Objects.requireNonNull(batchId, "batchId"), results);
	}

	/**
	 * Turns request recording on (the default) or off. A benchmark run turns it off,
	 * since nobody reads the requests.
	 * @param enabled whether to record requests
	 */
	public void setRecording(boolean enabled) {
		this.recording = enabled;
	}

	/**
	 * All recorded requests, oldest first (at most the last 10,000).
	 * @return a snapshot of the recorded requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.history);
	}

	/**
	 * Takes the oldest recorded request not taken yet, waiting for one if needed.
	 * @param timeout how long to wait
	 * @return the request
	 * @throws IllegalStateException if no request arrived in time
	 */
	public RecordedRequest takeRequest(Duration timeout) {
		return pollRequest(timeout)
			.orElseThrow(() -> new IllegalStateException("No request reached the simulator within " + timeout));
	}

	/**
	 * Takes the oldest recorded request not taken yet, waiting for one if needed.
	 * @param timeout how long to wait
	 * @return the request, or empty if none arrived in time
	 */
	public Optional<RecordedRequest> pollRequest(Duration timeout) {
		try {
			return Optional.ofNullable(this.untaken.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a request", ex);
		}
	}

	/**
	 * How many streamed responses ended because the client went away before the end. A
	 * stream the simulator aborts on purpose ({@link Script#abortAfterChunks()}) is not
	 * counted.
	 * @return the number of client-cancelled streams
	 */
	public int cancelledStreams() {
		return this.cancelledStreams.get();
	}

	/**
	 * Forgets scripts, batches, recorded requests and the cancelled-stream count,
	 * restores the default script and turns recording on: a clean simulator for the next
	 * test.
	 */
	public void reset() {
		this.queue.clear();
		this.defaultScript = Script.defaults();
		this.batches.clear();
		this.recording = true;
		this.history.clear();
		this.historySize.set(0);
		this.untaken.clear();
		this.cancelledStreams.set(0);
	}

	/** Stops listening; open connections are closed. */
	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.disposeLater().block();
	}

	/** Blocks until the simulator is closed (for {@link SimulatorMain}). */
	void awaitClose() {
		this.server.onDispose().block();
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive()
			.aggregate()
			.asByteArray()
			.defaultIfEmpty(EMPTY)
			.flatMap((body) -> serve(request, response, body));
	}

	private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, byte[] body) {
		String uri = request.uri();
		int query = uri.indexOf('?');
		String path = (query < 0) ? uri : uri.substring(0, query);
		if (this.recording) {
			record(request, uri, body);
		}
		Endpoint.Route route = Endpoint.match(request.method(), path);
		if (route == null) {
			return sendNow(response,
					Endpoint.providerOf(path)
						.error(ScriptedError.of(404)
							.withMessage("The simulator has no route " + request.method() + " " + path)));
		}
		Endpoint endpoint = route.endpoint();
		RequestBody parsed = null;
		if (endpoint.readsBody()) {
			try {
				parsed = RequestBody.parse(body);
			}
			catch (JacksonException | IllegalArgumentException ex) {
				return sendNow(response,
						badRequest(endpoint, "The request body is not valid JSON: " + ex.getMessage()));
			}
			if (endpoint.needsModel() && parsed.model() == null) {
				return sendNow(response, badRequest(endpoint, "model: Field required"));
			}
		}
		Script raw;
		try {
			raw = resolveScript(request.requestHeaders());
		}
		catch (IllegalArgumentException ex) {
			return sendNow(response, badRequest(endpoint, ex.getMessage()));
		}
		Script script = raw.withResolvedInput(body.length);
		ScriptedError error = script.error();
		if (error != null) {
			return send(response, endpoint.provider.error(error), script);
		}
		Reply reply;
		try {
			reply = answer(route, request, body, parsed, raw, script);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return sendNow(response, badRequest(endpoint, ex.getMessage()));
		}
		return send(response, reply, script);
	}

	private Reply answer(Endpoint.Route route, HttpServerRequest request, byte[] body, @Nullable RequestBody parsed,
			Script raw, Script script) {
		Tokens tokens = Tokens.of(script, body.length);
		boolean stream = parsed != null && parsed.stream();
		String model = (parsed != null && parsed.model() != null) ? parsed.model() : route.parameter();
		Call call = new Call(model, script, tokens, parsed != null && parsed.includeUsage());
		return switch (route.endpoint()) {
			case MESSAGES -> stream ? AnthropicWire.stream(call) : AnthropicWire.message(call);
			case COUNT_TOKENS -> AnthropicWire.countTokens(call);
			case CHAT_COMPLETIONS -> stream ? OpenAiChatWire.stream(call) : OpenAiChatWire.completion(call);
			case RESPONSES -> stream ? OpenAiResponsesWire.stream(call) : OpenAiResponsesWire.response(call);
			case GENERATE_CONTENT -> GeminiWire.generate(call);
			case STREAM_GENERATE_CONTENT -> GeminiWire.stream(call, request.uri().contains("alt=sse"));
			case BATCH_CREATE -> createBatch(request, body, raw);
			case BATCH_RETRIEVE, BATCH_CANCEL, BATCH_RESULTS -> batch(route, request);
		};
	}

	/**
	 * Creates a batch whose requests all succeed with the request's script; each
	 * request's derived input comes from its own params. Tests that need mixed outcomes
	 * use {@link #addBatch(String, List)}.
	 */
	private Reply createBatch(HttpServerRequest request, byte[] body, Script script) {
		JsonNode requests = RequestBody.MAPPER.readTree(body).path("requests");
		if (!requests.isArray() || requests.isEmpty()) {
			throw new IllegalArgumentException("requests: a non-empty array is required");
		}
		List<BatchResult> results = new ArrayList<>(requests.size());
		for (JsonNode item : requests) {
			String customId = item.path("custom_id").asString("");
			JsonNode params = item.path("params");
			String model = params.path("model").asString("");
			if (customId.isEmpty() || model.isEmpty()) {
				throw new IllegalArgumentException("every request needs a custom_id and params.model");
			}
			int paramsLength = params.toString().getBytes(StandardCharsets.UTF_8).length;
			results.add(BatchResult.succeeded(customId, model, script.withResolvedInput(paramsLength)));
		}
		Batches.Batch batch = this.batches.create(results);
		return new Reply.Full(200, AnthropicWire.JSON, AnthropicWire.headers(null), batch.json(publicUrl(request)));
	}

	private Reply batch(Endpoint.Route route, HttpServerRequest request) {
		Batches.Batch batch = this.batches.get(route.parameter());
		if (batch == null) {
			return AnthropicWire.error(ScriptedError.of(404)
				.withMessage("No Message Batch with id " + route.parameter() + " (simulated)"));
		}
		return switch (route.endpoint()) {
			case BATCH_CANCEL -> {
				batch.cancel();
				yield new Reply.Full(200, AnthropicWire.JSON, AnthropicWire.headers(null),
						batch.json(publicUrl(request)));
			}
			case BATCH_RESULTS -> {
				List<BatchResult> results = batch.endAndResults();
				yield new Reply.Stream("application/x-jsonl", AnthropicWire.headers(null), List.of(), results.size(),
						(i) -> Batches.resultLine(results.get(i)), List::of);
			}
			default -> {
				batch.end();
				yield new Reply.Full(200, AnthropicWire.JSON, AnthropicWire.headers(null),
						batch.json(publicUrl(request)));
			}
		};
	}

	/**
	 * The base URL as the client addressed us, so results_url works through a proxy that
	 * keeps Host.
	 */
	private String publicUrl(HttpServerRequest request) {
		String host = request.requestHeaders().get(HttpHeaderNames.HOST);
		return (host != null && !host.isBlank()) ? "http://" + host : this.baseUrl;
	}

	private Script resolveScript(HttpHeaders headers) {
		Script base = this.defaultScript;
		if (HeaderScripts.present(headers)) {
			// Header-driven requests leave the queue alone, so tests' FIFO order is
			// undisturbed.
			return HeaderScripts.apply(headers, base);
		}
		Script queued = this.queue.poll();
		return (queued != null) ? queued : base;
	}

	private static Reply badRequest(Endpoint endpoint, @Nullable String message) {
		return endpoint.provider.error(ScriptedError.of(400).withMessage(String.valueOf(message)));
	}

	private void record(HttpServerRequest request, String uri, byte[] body) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (Map.Entry<String, String> header : request.requestHeaders()) {
			headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), (name) -> new ArrayList<>(1))
				.add(header.getValue());
		}
		RecordedRequest recorded = new RecordedRequest(request.method().name(), uri, headers, body);
		this.history.addLast(recorded);
		if (this.historySize.incrementAndGet() > RECORD_LIMIT && this.history.pollFirst() != null) {
			this.historySize.decrementAndGet();
		}
		while (!this.untaken.offerLast(recorded)) {
			this.untaken.pollFirst();
		}
	}

	private Mono<Void> sendNow(HttpServerResponse response, Reply reply) {
		return send(response, reply, Script.defaults());
	}

	private Mono<Void> send(HttpServerResponse response, Reply reply, Script script) {
		return switch (reply) {
			case Reply.Full full -> {
				Mono<Void> write = (script.abortAfterChunks() != Script.NO_ABORT) ? abortWithoutAnswer(response)
						: Mono.defer(() -> writeFull(response, full));
				yield script.latency().isZero() ? write : Mono.delay(script.latency()).then(write);
			}
			case Reply.Stream stream -> writeStream(response, stream, script);
		};
	}

	private static Mono<Void> writeFull(HttpServerResponse response, Reply.Full full) {
		response.status(full.status())
			.header(HttpHeaderNames.CONTENT_TYPE, full.contentType())
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(full.body().length));
		for (Header header : full.headers()) {
			response.header(header.name(), header.value());
		}
		return response.send(Mono.just(Unpooled.wrappedBuffer(full.body()))).then();
	}

	private Mono<Void> writeStream(HttpServerResponse response, Reply.Stream stream, Script script) {
		response.status(200)
			.header(HttpHeaderNames.CONTENT_TYPE, stream.contentType())
			.header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
		for (Header header : stream.headers()) {
			response.header(header.name(), header.value());
		}
		boolean abort = script.abortAfterChunks() != Script.NO_ABORT;
		int chunks = abort ? Math.min(script.abortAfterChunks(), stream.chunks()) : stream.chunks();
		// Content events are made one at a time as the connection asks for them.
		Flux<ByteBuf> content = Flux.range(0, chunks).map((i) -> Unpooled.wrappedBuffer(stream.chunk().apply(i)));
		if (!script.chunkDelay().isZero()) {
			content = content.delayElements(script.chunkDelay());
		}
		AtomicBoolean abortedByUs = new AtomicBoolean();
		Flux<ByteBuf> ending = abort ? closeConnectionAfterWrites(response, abortedByUs)
				: Flux.defer(() -> Flux.fromIterable(stream.closing().get())).map(Unpooled::wrappedBuffer);
		Flux<ByteBuf> events = Flux.concat(Flux.fromIterable(stream.opening()).map(Unpooled::wrappedBuffer), content,
				ending);
		if (!script.latency().isZero()) {
			events = Mono.delay(script.latency()).thenMany(events);
		}
		events = events.doFinally((signal) -> {
			if (signal == SignalType.CANCEL && !abortedByUs.get()) {
				this.cancelledStreams.incrementAndGet();
			}
		});
		// Flush every event, as providers do, so the gateway's own flushing can be
		// observed.
		return response.send(events, (buffer) -> true).then();
	}

	/**
	 * Closes the connection once everything written so far has gone out, without the
	 * chunked terminator, as a provider that drops mid-stream does. The close is queued
	 * on the channel's event loop behind the pending writes; the stream then never
	 * completes, and the closed channel cancels it.
	 */
	private static Flux<ByteBuf> closeConnectionAfterWrites(HttpServerResponse response, AtomicBoolean abortedByUs) {
		return Mono.<ByteBuf>fromRunnable(() -> {
			abortedByUs.set(true);
			response.withConnection((connection) -> {
				Channel channel = connection.channel();
				channel.eventLoop()
					.execute(() -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
						.addListener(ChannelFutureListener.CLOSE));
			});
		}).concatWith(Mono.never());
	}

	private static Mono<Void> abortWithoutAnswer(HttpServerResponse response) {
		return Mono.<Void>fromRunnable(() -> response.withConnection((connection) -> connection.channel().close()))
			.then(Mono.never());
	}

}
