package io.tollgate.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock every service under test reads instead of the wall clock, so that no test
 * passes or fails with the date it runs on.
 * <p>
 * By default it runs from {@link #START}: its reading is {@code START} plus the time
 * elapsed since the JVM first touched this class, so durations (timeouts, lateness
 * windows, publishing rounds) behave as in production while dates stay fixed. A test may
 * {@link #freezeAt fix} it at an instant (it then stands still) or {@link #runFrom start
 * it running} from one; {@link #reset()} returns to the default run, which
 * {@link UsesTestClock} does after each test. One instance per JVM ({@link #shared()}),
 * so test code and the application context read the same time.
 */
public final class TestClock extends Clock {

	/**
	 * Where the default run starts: a Wednesday in the middle of a month (2026-11), in
	 * the middle of a UTC day, well away from every period boundary.
	 */
	public static final Instant START = Instant.parse("2026-11-18T10:00:00Z");

	private static final TestClock SHARED = new TestClock();

	private final long createdNanos = System.nanoTime();

	private volatile Reading reading = new Reading(START, this.createdNanos, true);

	private TestClock() {
	}

	/**
	 * The one test clock of this JVM.
	 * @return the shared clock
	 */
	public static TestClock shared() {
		return SHARED;
	}

	/**
	 * Stops the clock at an instant: every reading answers it until the next change.
	 * @param instant the instant to stand at
	 */
	public void freezeAt(Instant instant) {
		this.reading = new Reading(instant, System.nanoTime(), false);
	}

	/**
	 * Runs the clock from an instant, at the pace of the system's monotonic time.
	 * @param instant the instant the clock reads now
	 */
	public void runFrom(Instant instant) {
		this.reading = new Reading(instant, System.nanoTime(), true);
	}

	/**
	 * Moves the clock by a duration, frozen or running as it was.
	 * @param duration how far to move it (negative moves it back)
	 */
	public void advance(Duration duration) {
		Reading current = this.reading;
		this.reading = new Reading(current.at(System.nanoTime()).plus(duration), System.nanoTime(), current.running());
	}

	/**
	 * Returns to the default run: {@link #START} plus the time since the JVM started it.
	 */
	public void reset() {
		this.reading = new Reading(START, this.createdNanos, true);
	}

	@Override
	public Instant instant() {
		return this.reading.at(System.nanoTime());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		// The services only ever use UTC instants; a zoned view would be a second clock
		// that a freeze could not reach.
		throw new UnsupportedOperationException("The test clock is UTC only");
	}

	private record Reading(Instant base, long baseNanos, boolean running) {

		Instant at(long nanos) {
			return this.running ? this.base.plusNanos(nanos - this.baseNanos) : this.base;
		}

	}

}
