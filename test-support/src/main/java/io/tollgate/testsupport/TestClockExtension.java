package io.tollgate.testsupport;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Resets the {@link TestClock} after each test of a {@link UsesTestClock} class. */
final class TestClockExtension implements AfterEachCallback {

	@Override
	public void afterEach(ExtensionContext context) {
		TestClock.shared().reset();
	}

}
