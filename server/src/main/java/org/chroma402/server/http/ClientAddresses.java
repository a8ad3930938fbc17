package org.chroma402.server.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client addresses as the per-address limits see them. Proxies write addresses in several forms
 * ({@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]:443}); {@link #normalize} reads
 * them all as one canonical address. {@link #group} is the key every per-address limit counts
 * under: an IPv4 address is itself, but an IPv6 client is its /64, since one subscriber is
 * routinely handed a whole /64 and could otherwise take a fresh address for every request.
 *
 * <p>Only literals are parsed: nothing here ever resolves a name.
 */
public final class ClientAddresses {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV4_PORT = Pattern.compile("([0-9.]{7,15}):[0-9]{1,5}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]{2,45})\\](?::[0-9]{1,5})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientAddresses() {
    }

    /**
     * The canonical text of an address given as {@code ip}, {@code ip:port}, {@code [v6]} or
     * {@code [v6]:port} (IPv4 dotted, IPv6 compressed and lower case; an IPv4-mapped IPv6 address
     * as its IPv4 address); empty for anything else, names included.
     */
    public static Optional<String> normalize(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.length() > 60) {
            return Optional.empty();
        }
        var bracketed = BRACKETED.matcher(s);
        if (bracketed.matches()) {
            return literal6(bracketed.group(1));
        }
        var withPort = IPV4_PORT.matcher(s);
        if (withPort.matches()) {
            s = withPort.group(1);
        }
        if (IPV4.matcher(s).matches()) {
            return Optional.of(s);
        }
        return s.indexOf(':') >= 0 && IPV6.matcher(s).matches() ? literal6(s) : Optional.empty();
    }

    /**
     * The key a per-address limit counts under: an IPv4 address itself, an IPv6 address's /64
     * ({@code 2001:db8:0:7::/64}); text that is no address is returned as it is.
     */
    public static String group(String address) {
        Optional<String> canonical = normalize(address);
        if (canonical.isEmpty() || canonical.get().indexOf(':') < 0) {
            return canonical.orElse(address);
        }
        byte[] bytes = parse6(canonical.get());
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    private static Optional<String> literal6(String s) {
        if (s.indexOf(':') < 0) {
            return Optional.empty();
        }
        byte[] bytes = parse6(s);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByAddress(bytes);
            if (address instanceof Inet4Address) {
                return Optional.of(address.getHostAddress());
            }
            return Optional.of(compress((Inet6Address) address));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The 16 (or, for an IPv4-mapped address, 4) bytes of an IPv6 literal; null if it is none. */
    private static byte[] parse6(String s) {
        if (s.indexOf('%') >= 0 || !IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            // With a colon in it, the JDK reads the text as an IPv6 literal and never asks DNS.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** RFC 5952 text: lower case, the longest run of zero groups (two or more) as {@code ::}. */
    private static String compress(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                out.append(':');
            }
        }
        return out.toString();
    }
}
