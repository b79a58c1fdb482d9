package io.tollgate.support.lifecycle;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A daemon thread that runs rounds of work until it is stopped: the one way the services
 * run background work (the outbox relay, billing's spend updates, the gateway's usage
 * spooler and sender).
 *
 * <p>
 * Algorithm: after a round it waits for the interval, or less when {@link #wake woken}; a
 * round that reports work left over is followed by the next at once. A round that throws
 * is retried after a backoff that doubles with each consecutive failure, from twice the
 * interval up to a ceiling, so that an unreachable database or broker is not hammered and
 * is still retried promptly once it is back. Optionally every wait is lengthened by up to
 * a tenth at random, so that the instances of a service polling the same table do not
 * fall into lockstep.
 *
 * <p>
 * The owner calls {@link #start} and {@link #stop} from its own lifecycle (it decides the
 * phase). {@link #stop} lets the current round finish and waits up to
 * {@value #JOIN_SECONDS} seconds for it, then interrupts it.
 */
public final class BackgroundLoop {

	static final long JOIN_SECONDS = 15;

	private final String name;

	private final Duration interval;

	private final Duration maxBackoff;

	private final boolean jitter;

	private final Round round;

	private final Failures failures;

	private final Semaphore wakeups = new Semaphore(0);

	private volatile boolean running;

	private @Nullable Thread thread;

	/**
	 * Creates the loop; nothing runs before {@link #start}.
	 * @param name the thread's name
	 * @param interval how long to wait after a round that left nothing over
	 * @param maxBackoff the longest wait after failed rounds (also when the interval is
	 * longer: a failed round is retried within it)
	 * @param jitter whether to lengthen every wait by up to a tenth at random
	 * @param round the work of one round
	 * @param failures told of failed rounds and of the first success after them
	 */
	public BackgroundLoop(String name, Duration interval, Duration maxBackoff, boolean jitter, Round round,
			Failures failures) {
		this.name = name;
		this.interval = interval;
		this.maxBackoff = maxBackoff;
		this.jitter = jitter;
		this.round = round;
		this.failures = failures;
	}

	/** Starts the thread. */
	public void start() {
		this.running = true;
		Thread loop = new Thread(this::run, this.name);
		loop.setDaemon(true);
		this.thread = loop;
		loop.start();
	}

	/**
	 * Stops the loop: no round starts after this, and the waiting one is cut short. Waits
	 * for a round in progress to finish, up to {@value #JOIN_SECONDS} seconds.
	 */
	public void stop() {
		this.running = false;
		Thread loop = this.thread;
		if (loop != null) {
			this.wakeups.release();
			try {
				loop.join(Duration.ofSeconds(JOIN_SECONDS));
				if (loop.isAlive()) {
					// A round blocked on an unreachable broker or database: cut it short,
					// so that no old round still runs when the owner starts a new loop.
					loop.interrupt();
					loop.join(Duration.ofSeconds(JOIN_SECONDS));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Says whether the loop runs (started, not stopped, not interrupted).
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Ends the current wait, so that the next round starts now (after a commit that gave
	 * it work). Wake-ups while a round runs make one more round, not one each.
	 */
	public void wake() {
		if (this.wakeups.availablePermits() == 0) {
			this.wakeups.release();
		}
	}

	private void run() {
		int failed = 0;
		while (this.running) {
			Duration wait;
			try {
				boolean more = this.round.run();
				if (failed > 0) {
					this.failures.recovered(failed);
				}
				failed = 0;
				if (more) {
					continue;
				}
				wait = this.interval;
			}
			catch (RuntimeException ex) {
				failed++;
				wait = backoff(this.interval, this.maxBackoff, failed);
				this.failures.failed(failed, wait, ex);
			}
			await(this.jitter ? jittered(wait) : wait);
		}
	}

	private void await(Duration timeout) {
		try {
			if (this.wakeups.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.wakeups.drainPermits();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	/**
	 * The wait after consecutive failed rounds: the interval doubled once per failure, at
	 * most the ceiling.
	 */
	static Duration backoff(Duration interval, Duration maxBackoff, int failed) {
		Duration backoff = interval;
		for (int i = 0; i < failed && backoff.compareTo(maxBackoff) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(maxBackoff) > 0) ? maxBackoff : backoff;
	}

	static Duration jittered(Duration wait) {
		return wait.plusMillis(ThreadLocalRandom.current().nextLong(1 + wait.toMillis() / 10));
	}

	/** One round of work. */
	@FunctionalInterface
	public interface Round {

		/**
		 * Runs one round.
		 * @return {@code true} when work is left over and the next round should start at
		 * once, {@code false} to wait for the interval or a wake-up
		 * @throws RuntimeException when the round failed: the loop backs off and retries
		 */
		boolean run();

	}

	/** What the owner does about failed rounds: count them, log them. */
	public interface Failures {

		/**
		 * A round failed.
		 * @param failedRounds how many rounds in a row have failed, this one included
		 * @param retryIn how long the loop waits before the next round (before jitter)
		 * @param failure what the round threw
		 */
		void failed(int failedRounds, Duration retryIn, RuntimeException failure);

		/**
		 * A round succeeded after failed ones.
		 * @param failedRounds how many rounds in a row had failed
		 */
		default void recovered(int failedRounds) {
		}

	}

}
