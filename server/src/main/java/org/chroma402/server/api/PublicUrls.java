package org.chroma402.server.api;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.regex.Pattern;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.http.ClientAddresses;

/**
 * The base of the URLs the server hands out ({@code image_url}, poll URLs), and the address a
 * request comes from.
 *
 * <p>The configured public URL wins. Otherwise the URL is what the request was sent to:
 * {@code X-Forwarded-Proto}/{@code -Host} only when the operator trusts a proxy, and any host
 * name only when it is well-formed (and, if {@code server.allowed-hosts} is set, listed), since
 * these headers are the client's words and end up in JSON a browser may follow.
 *
 * <p>The client address is the peer's, or with trusted proxies the {@code X-Forwarded-For} entry
 * {@code proxyHops} from the right: each trusted proxy appends what it saw, so entries further
 * left were written by the client and prove nothing. Proxies that add the port
 * ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:443}) are read as the address alone. Limits per
 * address count under {@link #clientKey}: an IPv6 client by its /64.
 */
final class PublicUrls {
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    private final ServerConfig.Listening listening;

    PublicUrls(ServerConfig.Listening listening) {
        this.listening = listening;
    }

    String base(Context ctx) {
        if (listening.publicUrl() != null) {
            String s = listening.publicUrl().toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
        String scheme = ctx.scheme();
        String host = ctx.host();
        if (listening.trustProxy()) {
            String proto = fromRight(ctx.header("X-Forwarded-Proto"));
            if (proto != null) {
                scheme = proto.toLowerCase(Locale.ROOT);
            }
            String forwardedHost = fromRight(ctx.header("X-Forwarded-Host"));
            if (forwardedHost != null) {
                host = forwardedHost;
            }
        }
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            scheme = ctx.scheme();
        }
        if (!acceptable(host)) {
            host = listening.host() + ":" + ctx.port();
        }
        return scheme + "://" + host;
    }

    /**
     * Whether a browser's {@code Origin} is this server's own: the configured public URL, a host of
     * {@code server.allowed-hosts}, or (with neither set) this listener reached by a loopback name or
     * its own address, on the port the connection really arrived at. Never judged from {@code Host}
     * or {@code X-Forwarded-Host}: a DNS-rebinding page sends its own name in both
     * ({@code Host: evil.example:P}, {@code Origin: http://evil.example:P}).
     */
    boolean isOwnOrigin(String origin, Context ctx) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(origin);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getRawPath() != null
                && !uri.getRawPath().isEmpty()) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (listening.publicUrl() != null) {
            java.net.URI own = listening.publicUrl();
            int ownPort = own.getPort() >= 0 ? own.getPort() : "https".equalsIgnoreCase(own.getScheme()) ? 443 : 80;
            return scheme.equalsIgnoreCase(own.getScheme()) && host.equalsIgnoreCase(own.getHost()) && port == ownPort;
        }
        if (!listening.allowedHosts().isEmpty()) {
            return listening.allowedHosts().contains(host + ":" + port)
                    || (uri.getPort() < 0 && listening.allowedHosts().contains(host));
        }
        if (port != ctx.req().getLocalPort()) {
            return false;
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.equals("localhost") || bare.startsWith("127.") || bare.equals("::1")
                || bare.equalsIgnoreCase(listening.host());
    }

    private boolean acceptable(String host) {
        if (host == null || host.length() > 260 || !HOST.matcher(host).matches()) {
            return false;
        }
        return listening.allowedHosts().isEmpty() || listening.allowedHosts().contains(host.toLowerCase(Locale.ROOT));
    }

    /** The address a request comes from, as logged. */
    String clientAddress(Context ctx) {
        return clientAddress(ctx.header("X-Forwarded-For"), ctx.ip());
    }

    /** What per-address limits count a request under: its address, or an IPv6 client's /64. */
    String clientKey(Context ctx) {
        return ClientAddresses.group(clientAddress(ctx));
    }

    /** {@link #clientKey} of a request before it reaches Javalin. */
    String clientKey(org.eclipse.jetty.server.Request request) {
        return ClientAddresses.group(clientAddress(request.getHeaders().get("X-Forwarded-For"),
                org.eclipse.jetty.server.Request.getRemoteAddr(request)));
    }

    /**
     * The client's address from the peer's and the {@code X-Forwarded-For} header: the trusted
     * proxies' entry, canonical, when they are trusted and it is an address; the peer's otherwise.
     */
    String clientAddress(String forwardedFor, String peer) {
        if (listening.trustProxy()) {
            String candidate = fromRight(forwardedFor);
            if (candidate != null) {
                java.util.Optional<String> address = ClientAddresses.normalize(candidate);
                if (address.isPresent()) {
                    return address.get();
                }
            }
        }
        return ClientAddresses.normalize(peer).orElse(peer);
    }

    /**
     * The entry a trusted proxy wrote: {@code proxyHops} from the right of a comma-separated header
     * that proxies append to. With fewer entries than hops, the leftmost (nearest the client).
     */
    private String fromRight(String header) {
        if (header == null || header.isBlank() || header.length() > 2048) {
            return null;
        }
        String[] entries = header.split(",");
        String value = entries[Math.max(0, entries.length - listening.proxyHops())].strip();
        return value.isEmpty() ? null : value;
    }
}
