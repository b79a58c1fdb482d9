package io.tollgate.simulator;

/**
 * One response header.
 *
 * @param name the header name
 * @param value the header value
 */
record Header(String name, String value) {
}
