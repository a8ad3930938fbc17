package org.chroma402.colorize.model;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a model download may do: at most {@code maxBytes} written (a mirror that never stops
 * streaming fills no disk before the digest check), no {@code stallTimeout} without a byte after
 * the headers (a mirror sending one byte a second does not hang {@code models pull}), and
 * redirects only to the same host and port or to a host under one of {@code redirectHosts}
 * (Hugging Face sends downloads to its CDN; a redirect to another port of this machine is no
 * download location).
 */
public record DownloadLimits(long maxBytes, Duration stallTimeout, List<String> redirectHosts) {
    /** Hugging Face's own hosts and CDNs (cdn-lfs.huggingface.co, cas-bridge.xethub.hf.co). */
    public static final List<String> HUGGING_FACE_HOSTS = List.of("huggingface.co", "hf.co");
    public static final DownloadLimits DEFAULT = new DownloadLimits(2L << 30, Duration.ofSeconds(60), HUGGING_FACE_HOSTS);

    public DownloadLimits {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the largest download must be positive");
        }
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        redirectHosts = redirectHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether a redirect from {@code from} may be followed to {@code to}. */
    public boolean mayRedirect(URI from, URI to) {
        if (to.getHost() == null || !("https".equalsIgnoreCase(to.getScheme()) || "http".equalsIgnoreCase(to.getScheme()))) {
            return false;
        }
        String host = to.getHost().toLowerCase(Locale.ROOT);
        if (host.equalsIgnoreCase(from.getHost()) && port(to) == port(from)) {
            return true;
        }
        // Another host only over https, and only one the operator named (or a subdomain of one).
        return "https".equalsIgnoreCase(to.getScheme())
                && redirectHosts.stream().anyMatch(allowed -> host.equals(allowed) || host.endsWith("." + allowed));
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
