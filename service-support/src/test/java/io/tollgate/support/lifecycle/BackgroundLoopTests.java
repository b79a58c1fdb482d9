package io.tollgate.support.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundLoopTests {

	private static final Duration LONG = Duration.ofHours(1);

	private static final BackgroundLoop.Failures IGNORE = (failedRounds, retryIn, failure) -> {
	};

	@Test
	void runsARoundOnStartThenWaitsForAWakeUp() throws Exception {
		Semaphore rounds = new Semaphore(0);
		BackgroundLoop loop = startWaiting("test-loop", false, rounds::release);
		try {
			assertThat(rounds.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
			// The interval is an hour: nothing more until woken.
			assertThat(rounds.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse();
			loop.wake();
			assertThat(rounds.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			loop.stop();
		}
	}

	@Test
	void runsTheNextRoundAtOnceWhileWorkIsLeftOver() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch drained = new CountDownLatch(1);
		BackgroundLoop loop = new BackgroundLoop("test-loop", LONG, LONG, false, () -> {
			if (calls.incrementAndGet() < 5) {
				return true;
			}
			drained.countDown();
			return false;
		}, IGNORE);
		loop.start();
		try {
			assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(calls).hasValue(5);
		}
		finally {
			loop.stop();
		}
	}

	@Test
	void backsOffWhileRoundsFailAndSaysWhenTheyRecover() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		List<String> events = new CopyOnWriteArrayList<>();
		CountDownLatch recovered = new CountDownLatch(1);
		BackgroundLoop loop = new BackgroundLoop("test-loop", Duration.ofMillis(5), Duration.ofMillis(30), false,
				() -> {
					if (calls.incrementAndGet() <= 4) {
						throw new IllegalStateException("down");
					}
					return false;
				}, new BackgroundLoop.Failures() {

					@Override
					public void failed(int failedRounds, Duration retryIn, RuntimeException failure) {
						events.add(failedRounds + " " + retryIn.toMillis() + " " + failure.getMessage());
					}

					@Override
					public void recovered(int failedRounds) {
						events.add("recovered after " + failedRounds);
						recovered.countDown();
					}

				});
		loop.start();
		try {
			assertThat(recovered.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(events).containsExactly("1 10 down", "2 20 down", "3 30 down", "4 30 down", "recovered after 4");
		}
		finally {
			loop.stop();
		}
	}

	@Test
	void backoffDoublesTheIntervalUpToTheCeiling() {
		Duration interval = Duration.ofMillis(200);
		Duration ceiling = Duration.ofSeconds(10);
		assertThat(BackgroundLoop.backoff(interval, ceiling, 1)).isEqualTo(Duration.ofMillis(400));
		assertThat(BackgroundLoop.backoff(interval, ceiling, 5)).isEqualTo(Duration.ofMillis(6400));
		assertThat(BackgroundLoop.backoff(interval, ceiling, 6)).isEqualTo(ceiling);
		assertThat(BackgroundLoop.backoff(interval, ceiling, Integer.MAX_VALUE)).isEqualTo(ceiling);
		// An interval longer than the ceiling: a failed round is still retried within it.
		assertThat(BackgroundLoop.backoff(Duration.ofMinutes(1), ceiling, 1)).isEqualTo(ceiling);
	}

	@Test
	void jitterLengthensAWaitByAtMostATenth() {
		for (int i = 0; i < 1000; i++) {
			assertThat(BackgroundLoop.jittered(Duration.ofMillis(1000))).isBetween(Duration.ofMillis(1000),
					Duration.ofMillis(1100));
		}
	}

	@Test
	void stopEndsTheWaitAndTheThread() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		BackgroundLoop loop = startWaiting("test-loop-stopping", true, started::countDown);
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(loop.isRunning()).isTrue();
		long before = System.nanoTime();
		loop.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
		assertThat(loop.isRunning()).isFalse();
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().equals("test-loop-stopping") && thread.isAlive());
	}

	@Test
	void stopBeforeStartDoesNothing() {
		BackgroundLoop loop = new BackgroundLoop("test-loop", LONG, LONG, false, () -> false, IGNORE);
		loop.stop();
		assertThat(loop.isRunning()).isFalse();
	}

	/** Starts a loop whose rounds never leave work over, and that waits an hour. */
	private static BackgroundLoop startWaiting(String name, boolean jitter, Runnable round) {
		BackgroundLoop loop = new BackgroundLoop(name, LONG, LONG, jitter, () -> {
			round.run();
			return false;
		}, IGNORE);
		loop.start();
		return loop;
	}

}
