package io.tollgate.alerting.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses are not public, and why, for {@link DestinationGuard}.
 *
 * <p>
 * Judged on the address bytes rather than with {@link InetAddress#isSiteLocalAddress} and
 * its siblings: those know neither carrier-grade NAT, nor IPv6 unique-local addresses,
 * nor the reserved ranges, and an {@link java.net.Inet6Address} built from bytes may
 * still hold an IPv4-mapped address. IPv4 ranges are those of the IANA IPv4
 * special-purpose registry that are not globally reachable, plus multicast; IPv6 is
 * public only inside global unicast 2000::/3 and outside its special-purpose ranges, and
 * NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the IPv4 address they
 * carry, since a gateway would forward to it.
 */
final class DestinationAddresses {

	// First match wins, so the more specific entries come first.
	private static final List<Range> NON_PUBLIC_V4 = List.of(range("255.255.255.255", 32, "the broadcast address"),
			range("169.254.169.254", 32, "link-local (the cloud metadata address)"),
			range("0.0.0.0", 32, "the unspecified (any-local) address"),
			range("0.0.0.0", 8, "in 0.0.0.0/8 (this network)"), range("10.0.0.0", 8, "private (10.0.0.0/8)"),
			range("100.64.0.0", 10, "carrier-grade NAT (100.64.0.0/10)"), range("127.0.0.0", 8, "loopback"),
			range("169.254.0.0", 16, "link-local"), range("172.16.0.0", 12, "private (172.16.0.0/12)"),
			range("192.0.0.0", 24, "reserved for IETF protocol assignments (192.0.0.0/24)"),
			range("192.0.2.0", 24, "reserved for documentation (192.0.2.0/24)"),
			range("192.88.99.0", 24, "the deprecated 6to4 relay anycast (192.88.99.0/24)"),
			range("192.168.0.0", 16, "private (192.168.0.0/16)"),
			range("198.18.0.0", 15, "reserved for benchmarking (198.18.0.0/15)"),
			range("198.51.100.0", 24, "reserved for documentation (198.51.100.0/24)"),
			range("203.0.113.0", 24, "reserved for documentation (203.0.113.0/24)"), range("224.0.0.0", 4, "multicast"),
			range("240.0.0.0", 4, "reserved (240.0.0.0/4)"));

	private static final List<Range> NON_PUBLIC_V6 = List.of(range("::", 128, "the unspecified (any-local) address"),
			range("::1", 128, "loopback"), range("fe80::", 10, "link-local"),
			range("fc00::", 7, "unique-local (fc00::/7)"), range("fec0::", 10, "site-local (fec0::/10, deprecated)"),
			range("ff00::", 8, "multicast"), range("2001:db8::", 32, "reserved for documentation (2001:db8::/32)"),
			range("2001::", 32, "a Teredo tunnel address (2001::/32)"),
			range("2001:2::", 48, "reserved for benchmarking (2001:2::/48)"),
			range("64:ff9b:1::", 48, "reserved for local-use NAT64 (64:ff9b:1::/48)"));

	private static final Range NAT64 = range("64:ff9b::", 96, "NAT64");

	private static final Range SIX_TO_FOUR = range("2002::", 16, "6to4");

	private static final Range GLOBAL_UNICAST = range("2000::", 3, "global unicast");

	private DestinationAddresses() {
	}

	/**
	 * Why an address is not public.
	 * @param address an address
	 * @return why not, worded to follow "is" (e.g. "link-local"), or null if it is public
	 */
	static @Nullable String nonPublicReason(InetAddress address) {
		byte[] bytes = normalised(address);
		if (bytes.length == 4) {
			return ipv4Reason(bytes);
		}
		if (NAT64.contains(bytes)) {
			return embeddedReason("a NAT64 address for ", Arrays.copyOfRange(bytes, 12, 16));
		}
		if (SIX_TO_FOUR.contains(bytes)) {
			return embeddedReason("a 6to4 address for ", Arrays.copyOfRange(bytes, 2, 6));
		}
		for (Range range : NON_PUBLIC_V6) {
			if (range.contains(bytes)) {
				return range.reason();
			}
		}
		return GLOBAL_UNICAST.contains(bytes) ? null : "not a global unicast address (outside 2000::/3)";
	}

	/**
	 * The address bytes, an IPv4-mapped IPv6 address (::ffff:a.b.c.d) reduced to its IPv4
	 * address: the JDK reduces those it parses, but not every {@link InetAddress} comes
	 * from the JDK's parser.
	 * @param address an address
	 * @return 4 bytes for IPv4, 16 for IPv6
	 */
	static byte[] normalised(InetAddress address) {
		byte[] bytes = address.getAddress();
		return (bytes.length == 16 && isIpv4Mapped(bytes)) ? embeddedIpv4(bytes) : bytes;
	}

	static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
	}

	static byte[] embeddedIpv4(byte[] bytes) {
		return Arrays.copyOfRange(bytes, 12, 16);
	}

	/**
	 * Whether the first {@code prefixLength} bits of an address are those of a prefix.
	 * @param address the address bytes
	 * @param prefix the prefix bytes, of the same family
	 * @param prefixLength how many leading bits must agree
	 * @return false for addresses of the other family
	 */
	static boolean matches(byte[] address, byte[] prefix, int prefixLength) {
		if (address.length != prefix.length) {
			return false;
		}
		int whole = prefixLength / 8;
		for (int i = 0; i < whole; i++) {
			if (address[i] != prefix[i]) {
				return false;
			}
		}
		int rest = prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (address[whole] & mask) == (prefix[whole] & mask);
	}

	/**
	 * An address as text, IPv6 compressed (::1 rather than 0:0:0:0:0:0:0:1), so that
	 * messages read as the tenant wrote the address.
	 * @param address an address
	 * @return its text
	 */
	static String text(InetAddress address) {
		return NetUtil.toAddressString(address);
	}

	private static @Nullable String ipv4Reason(byte[] bytes) {
		for (Range range : NON_PUBLIC_V4) {
			if (range.contains(bytes)) {
				return range.reason();
			}
		}
		return null;
	}

	private static @Nullable String embeddedReason(String what, byte[] ipv4) {
		String reason = ipv4Reason(ipv4);
		if (reason == null) {
			return null;
		}
		try {
			return what + text(InetAddress.getByAddress(ipv4)) + ", which is " + reason;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex); // four bytes are always an address
		}
	}

	private static Range range(String address, int prefixLength, String reason) {
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
		if (bytes == null) {
			throw new IllegalArgumentException(address);
		}
		return new Range(bytes, prefixLength, reason);
	}

	private record Range(byte[] prefix, int prefixLength, String reason) {

		boolean contains(byte[] address) {
			return matches(address, this.prefix, this.prefixLength);
		}

	}

}
