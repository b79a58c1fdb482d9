package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;

/**
 * Hands a {@link ByteBuffer}'s readable bytes to byte-array code without moving the
 * buffer's position and without keeping the buffer: a heap buffer's backing array is
 * passed directly (valid only during the call), a direct buffer is copied through a
 * reused scratch array.
 */
final class ByteChunks {

	@FunctionalInterface
	interface Sink {

		void accept(byte[] bytes, int offset, int length);

	}

	private static final int SCRATCH_BYTES = 8192;

	private byte[] scratch = new byte[0];

	void forEach(ByteBuffer chunk, Sink sink) {
		int remaining = chunk.remaining();
		if (remaining == 0) {
			return;
		}
		if (chunk.hasArray()) {
			sink.accept(chunk.array(), chunk.arrayOffset() + chunk.position(), remaining);
			return;
		}
		if (this.scratch.length == 0) {
			this.scratch = new byte[SCRATCH_BYTES];
		}
		int position = chunk.position();
		while (remaining > 0) {
			int n = Math.min(remaining, this.scratch.length);
			// Absolute get: the caller's position stays where it was.
			chunk.get(position, this.scratch, 0, n);
			sink.accept(this.scratch, 0, n);
			position += n;
			remaining -= n;
		}
	}

}
