package io.tollgate.testsupport.benchmark;

import java.lang.reflect.Field;

/**
 * The SQL text a service runs, read from its own constant, so that a benchmark explains
 * the very query the service sends rather than a copy that could drift from it. The
 * stores keep their SQL in private constants (package-private classes), hence reflection.
 */
public final class ServiceSql {

	private ServiceSql() {
	}

	/**
	 * Reads a {@code static final String} of a class.
	 * @param className the class, e.g. {@code io.tollgate.metering.usage.UsageStore}
	 * @param field the constant's name
	 * @return its value
	 * @throws IllegalStateException when the class or constant is not there (renamed)
	 */
	public static String constant(String className, String field) {
		try {
			Field constant = Class.forName(className).getDeclaredField(field);
			constant.setAccessible(true);
			return (String) constant.get(null);
		}
		catch (ReflectiveOperationException | ClassCastException ex) {
			throw new IllegalStateException(
					"No SQL constant " + field + " in " + className + " (renamed?); update the benchmark", ex);
		}
	}

}
