package io.tollgate.support.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Error handling for batch listeners that write each batch in one database transaction.
 */
public final class BatchErrorHandlers {

	private static final Logger logger = LoggerFactory.getLogger(BatchErrorHandlers.class);

	private BatchErrorHandlers() {
	}

	/**
	 * Retries a failed batch forever, backing off from 0.5 s to 30 s between attempts.
	 * <p>
	 * A batch fails as a whole only when the database cannot take it: bad records never
	 * fail a batch, they are dead-lettered through the outbox in the batch's own
	 * transaction. Giving up on a batch would lose data, so the listener waits for the
	 * database instead, and consumer lag shows the wait. Nothing of a failed batch was
	 * written, so every retry is safe.
	 * @param what what a batch holds, for the log (e.g. {@code "usage batch"})
	 * @return the handler, to be declared as the service's {@code CommonErrorHandler}
	 * bean
	 */
	public static DefaultErrorHandler retryBatchesForever(String what) {
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(30_000);
		DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
			throw new IllegalStateException("a " + what + " is never given up", ex);
		}, backOff);
		handler.setRetryListeners((record, ex, attempt) -> {
			if (attempt == 1 || attempt % 10 == 0) {
				logger.warn("Writing a {} failed (attempt {}); retrying with backoff, nothing was written twice or "
						+ "lost: {}", what, attempt, ex.toString());
			}
		});
		return handler;
	}

}
