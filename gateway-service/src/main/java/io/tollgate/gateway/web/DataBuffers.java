package io.tollgate.gateway.web;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Copies a buffer's readable bytes out and releases it, for the few places that must hold
 * a whole body (a JSON request to rewrite or parse) rather than stream it.
 */
public final class DataBuffers {

	private DataBuffers() {
	}

	/**
	 * Returns the buffer's readable bytes and releases the buffer.
	 * @param buffer the buffer, not used afterwards
	 * @return a copy of its bytes
	 */
	public static byte[] drain(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}
