package io.tollgate.alerting.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.netty.channel.ChannelOption;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

/**
 * Where webhook deliveries may connect. Tenants choose the URLs and the service connects
 * to them, so without a guard a tenant could make the service reach its own network
 * (server-side request forgery): loopback, private ranges, the cloud metadata address.
 *
 * <p>
 * The rule, the same at registration ({@link #check}) and for every connection the
 * {@link #httpClient} opens:
 * <ol>
 * <li>The URL must be absolute http or https, with a host and without user info or
 * fragment.</li>
 * <li>The host's addresses: an IP literal is taken as it stands (never resolved); a name
 * is resolved through the {@link Resolver} and every address in the answer counts.</li>
 * <li>Each address is normalised (an IPv4-mapped IPv6 address becomes its IPv4 address)
 * and is permitted if it lies in an allowlisted network, or else if it is public: in none
 * of the special-purpose ranges of {@link DestinationAddresses} and, for IPv6, inside
 * global unicast 2000::/3; NAT64 and 6to4 addresses are judged by the IPv4 address they
 * embed. One address not permitted refuses the host: a name that answers both a public
 * and a private address is what a rebinding attack looks like, and the connector might
 * pick either.</li>
 * <li>Plain http is permitted only when every address lies in an allowlisted network
 * (tests and the demo); everything else needs https.</li>
 * </ol>
 * Checking at registration alone would not do: DNS answers change after the check (DNS
 * rebinding), so the client resolves again through the same rule when it opens each
 * connection and connects only to the addresses it has just judged. Redirects are not
 * followed, since their target would escape both checks.
 */
public final class DestinationGuard {

	private final List<Network> allowedNetworks;

	private final Resolver resolver;

	// One resolver group per guard: Reactor Netty keys its connection pools by the
	// resolver group, so every client of this guard shares pooled connections, and none
	// of them is ever shared with a client that has no guard.
	private final DestinationResolverGroup resolverGroup;

	/**
	 * Creates a guard.
	 * @param allowedNetworks CIDRs (IPv4 and IPv6, e.g. "127.0.0.0/8", "::1/128",
	 * "10.1.2.3/32") where private, loopback or otherwise non-public addresses are
	 * nevertheless allowed, and where plain http is allowed too
	 * @param resolver how names become addresses, both at {@link #check} and when the
	 * {@link #httpClient} connects; it may block, and is called off the event loop
	 * @throws IllegalArgumentException naming the first malformed CIDR
	 */
	public DestinationGuard(List<String> allowedNetworks, Resolver resolver) {
		// Blank entries are skipped: an empty or trailing-comma environment variable
		// binds as one.
		this.allowedNetworks = allowedNetworks.stream().filter((cidr) -> !cidr.isBlank()).map(Network::parse).toList();
		this.resolver = resolver;
		this.resolverGroup = new DestinationResolverGroup(this);
	}

	/**
	 * Creates a guard that resolves names the way the JVM does
	 * ({@link InetAddress#getAllByName}: the operating system's resolver, with the JVM's
	 * cache).
	 * @param allowedNetworks as for {@link #DestinationGuard(List, Resolver)}
	 * @return the guard
	 */
	public static DestinationGuard withSystemResolver(List<String> allowedNetworks) {
		return new DestinationGuard(allowedNetworks, (host) -> List.of(InetAddress.getAllByName(host)));
	}

	/**
	 * Registration-time check of a webhook URL.
	 * @param url the URL a tenant registers
	 * @return {@link Allowed}, or {@link Refused} with a code and a message for the
	 * tenant
	 */
	public Verdict check(URI url) {
		if (!url.isAbsolute() || url.isOpaque()) {
			return invalid("the webhook URL must be an absolute http or https URL");
		}
		String scheme = url.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !scheme.equals("http")) {
			return invalid("the webhook URL must use https, not " + scheme);
		}
		if (url.getRawUserInfo() != null) {
			// Credentials in the URL would be stored and logged as part of it; the
			// signature on each delivery is how a receiver authenticates the sender.
			return invalid("the webhook URL must not contain user info (credentials)");
		}
		if (url.getRawFragment() != null) {
			// Never sent to the server, so a fragment can only be a mistake.
			return invalid("the webhook URL must not have a fragment");
		}
		String host = url.getHost();
		if (host == null || host.isEmpty()) {
			// Also what java.net.URI reports for an authority it cannot parse as a host
			// (e.g. one with an underscore), which Reactor Netty could not connect to
			// either.
			return invalid("the webhook URL has no host");
		}
		host = unbracketed(host);
		List<InetAddress> addresses;
		InetAddress literal = literal(host);
		if (literal != null) {
			addresses = List.of(literal);
		}
		else {
			try {
				addresses = this.resolver.resolve(host);
			}
			catch (UnknownHostException | IllegalArgumentException ex) {
				// IllegalArgumentException: the JDK's answer to an ambiguous IPv4 literal
				// such as 0177.0.0.1.
				addresses = List.of();
			}
			if (addresses.isEmpty()) {
				return new Refused(Refused.UNRESOLVABLE_HOST, host + " does not resolve to any address");
			}
		}
		Refused refused = judge(host, literal != null, addresses, scheme.equals("http"));
		return (refused != null) ? refused : new Allowed();
	}

	/**
	 * A Reactor Netty HttpClient that refuses, at connect time, any address the guard
	 * does not permit (resolve, check every address, connect only to a permitted one),
	 * follows no redirects, and times out responses after the given duration.
	 * <p>
	 * A refused connection fails the request with {@link DestinationRefusedException}
	 * before any connection is attempted; a name that no longer resolves fails it with
	 * {@link UnknownHostException}. Plain http is not refused here (the client does not
	 * see the scheme when it connects): {@link #check} refuses it at registration. Do not
	 * add a proxy to the client: with a proxy Reactor Netty leaves resolution to the
	 * proxy and the guard would be bypassed.
	 * @param responseTimeout how long to wait for a response once the request is sent;
	 * also the connect timeout
	 * @return the client, sharing Reactor Netty's global connection pool and event loops
	 */
	public HttpClient httpClient(Duration responseTimeout) {
		int connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, responseTimeout.toMillis()));
		return HttpClient.create()
			.resolver(this.resolverGroup)
			.followRedirect(false)
			.responseTimeout(responseTimeout)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
	}

	/**
	 * Resolves a name (or takes a literal) and judges every address as {@link #check}
	 * does, for the connect-time check of {@link DestinationResolverGroup}.
	 * @param host the host as Reactor Netty holds it: a name or an IP literal
	 * @param resolved the address Reactor Netty already has for an IP literal, else null
	 * @return the addresses to connect to, all of them permitted
	 * @throws UnknownHostException if the name does not resolve
	 * @throws DestinationRefusedException if an address is not permitted
	 */
	List<InetAddress> permittedAddresses(String host, @Nullable InetAddress resolved)
			throws UnknownHostException, DestinationRefusedException {
		InetAddress literal = (resolved != null) ? resolved : literal(unbracketed(host));
		List<InetAddress> addresses;
		if (literal != null) {
			addresses = List.of(literal);
		}
		else {
			try {
				addresses = this.resolver.resolve(host);
			}
			catch (IllegalArgumentException ex) {
				throw (UnknownHostException) new UnknownHostException(host + ": " + ex.getMessage()).initCause(ex);
			}
			if (addresses.isEmpty()) {
				throw new UnknownHostException(host + " does not resolve to any address");
			}
		}
		Refused refused = judge(host, literal != null, addresses, false);
		if (refused != null) {
			throw new DestinationRefusedException(refused);
		}
		return addresses;
	}

	private @Nullable Refused judge(String host, boolean literal, List<InetAddress> addresses, boolean plainHttp) {
		for (InetAddress address : addresses) {
			if (isAllowlisted(address)) {
				continue;
			}
			String reason = DestinationAddresses.nonPublicReason(address);
			if (reason != null) {
				return new Refused(Refused.FORBIDDEN_DESTINATION, describe(host, literal, address) + reason);
			}
		}
		if (plainHttp) {
			for (InetAddress address : addresses) {
				if (!isAllowlisted(address)) {
					return new Refused(Refused.INSECURE_URL, describe(host, literal, address)
							+ "not in a network allowed plain http; the webhook URL must use https");
				}
			}
		}
		return null;
	}

	private static String describe(String host, boolean literal, InetAddress address) {
		String text = DestinationAddresses.text(address);
		return literal ? text + " is " : host + " resolves to " + text + ", which is ";
	}

	private boolean isAllowlisted(InetAddress address) {
		byte[] bytes = DestinationAddresses.normalised(address);
		for (Network network : this.allowedNetworks) {
			if (network.contains(bytes)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable InetAddress literal(String host) {
		// Netty's parser accepts only the strict literal forms (dotted quad, RFC 4291
		// text) and never touches DNS; anything else, even 127.1, is a name and goes to
		// the resolver, whose answer is judged all the same.
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
		if (bytes == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			return null; // only for a wrong length, which the parser does not produce
		}
	}

	private static String unbracketed(String host) {
		// java.net.URI keeps the brackets around an IPv6 literal; Reactor Netty drops
		// them.
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	private static Refused invalid(String message) {
		return new Refused(Refused.INVALID_URL, message);
	}

	/**
	 * Resolves a host name to all its addresses.
	 */
	@FunctionalInterface
	public interface Resolver {

		/**
		 * Resolves a host name.
		 * @param host a host name (never an IP literal: the guard judges those itself)
		 * @return every address the name has; empty counts as unresolvable
		 * @throws UnknownHostException if the name does not resolve
		 */
		List<InetAddress> resolve(String host) throws UnknownHostException;

	}

	/**
	 * What {@link #check} says about a webhook URL.
	 */
	public sealed interface Verdict permits Allowed, Refused {

	}

	/**
	 * The URL may be registered.
	 */
	public record Allowed() implements Verdict {

	}

	/**
	 * The URL may not be registered, or (in {@link DestinationRefusedException}) a
	 * connection may not be made.
	 *
	 * @param code {@link #INVALID_URL}, {@link #INSECURE_URL},
	 * {@link #FORBIDDEN_DESTINATION} or {@link #UNRESOLVABLE_HOST}
	 * @param message for the tenant: which address and why
	 */
	public record Refused(String code, String message) implements Verdict {

		/** Not absolute, no host, user info, a fragment, or neither http nor https. */
		public static final String INVALID_URL = "invalid_url";

		/** Plain http to an address outside the allowlist. */
		public static final String INSECURE_URL = "insecure_url";

		/** An address that is not public and not allowlisted. */
		public static final String FORBIDDEN_DESTINATION = "forbidden_destination";

		/** The name does not resolve. */
		public static final String UNRESOLVABLE_HOST = "unresolvable_host";

	}

	/**
	 * An allowlisted network: an address prefix of {@code prefixLength} bits. The bytes
	 * are 4 long for IPv4 and 16 for IPv6; an IPv4-mapped network is kept as IPv4, as
	 * addresses are.
	 */
	private record Network(byte[] prefix, int prefixLength) {

		static Network parse(String cidr) {
			String text = cidr.strip();
			int slash = text.indexOf('/');
			byte[] bytes = (slash > 0) ? NetUtil.createByteArrayFromIpAddressString(text.substring(0, slash)) : null;
			int length = (slash > 0) ? prefixLength(text.substring(slash + 1)) : -1;
			if (bytes == null || length < 0 || length > bytes.length * 8) {
				throw new IllegalArgumentException(
						"Malformed CIDR '" + cidr + "' in the allowed networks: expected address/prefix-length,"
								+ " e.g. 127.0.0.0/8 or ::1/128");
			}
			if (bytes.length == 16 && length >= 96 && DestinationAddresses.isIpv4Mapped(bytes)) {
				bytes = DestinationAddresses.embeddedIpv4(bytes);
				length -= 96;
			}
			if (hasHostBits(bytes, length)) {
				// 10.1.2.3/8 is more likely a typo than a way of writing 10.0.0.0/8.
				throw new IllegalArgumentException("Malformed CIDR '" + cidr
						+ "' in the allowed networks: the address has bits set beyond the prefix length");
			}
			return new Network(bytes, length);
		}

		private static int prefixLength(String text) {
			if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
				return -1;
			}
			return Integer.parseInt(text);
		}

		private static boolean hasHostBits(byte[] bytes, int length) {
			for (int bit = length; bit < bytes.length * 8; bit++) {
				if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
					return true;
				}
			}
			return false;
		}

		boolean contains(byte[] address) {
			return DestinationAddresses.matches(address, this.prefix, this.prefixLength);
		}

		@Override
		public String toString() {
			try {
				return DestinationAddresses.text(InetAddress.getByAddress(this.prefix)) + "/" + this.prefixLength;
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
