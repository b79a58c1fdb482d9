package io.tollgate.simulator;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What a route answers, before pacing is applied. The server applies the script's
 * latency, chunk delay and abort uniformly, so the provider formats only describe bytes.
 */
sealed interface Reply permits Reply.Full, Reply.Stream {

	/**
	 * A complete body sent at once with a content-length.
	 *
	 * @param status the HTTP status
	 * @param contentType the content type
	 * @param headers extra headers
	 * @param body the body
	 */
	record Full(int status, String contentType, List<Header> headers, byte[] body) implements Reply {
	}

	/**
	 * A chunked body written event by event, flushing each one: opening events, then
	 * {@code chunks} content events produced on demand (so that a 10,000-chunk stream is
	 * never held in memory), then closing events.
	 *
	 * @param contentType the content type
	 * @param headers extra headers
	 * @param opening events written before the content
	 * @param chunks the number of content events
	 * @param chunk produces content event {@code i} (0-based)
	 * @param closing produces the events written after the content
	 */
	record Stream(String contentType, List<Header> headers, List<byte[]> opening, int chunks, IntFunction<byte[]> chunk,
			Supplier<List<byte[]>> closing) implements Reply {
	}

}
