package io.tollgate.gateway.proxy.usage;

import java.nio.ByteBuffer;

/**
 * The filter for a request the gateway did not rewrite: every byte is the client's to
 * see.
 */
record PassThroughChunkFilter() implements OpenAiUsageChunkFilter {

	static final PassThroughChunkFilter INSTANCE = new PassThroughChunkFilter();

	@Override
	public ByteBuffer filter(ByteBuffer chunk) {
		return chunk;
	}

	@Override
	public ByteBuffer finish() {
		return ByteBuffer.allocate(0);
	}

	@Override
	public boolean passesThrough() {
		return true;
	}

}
