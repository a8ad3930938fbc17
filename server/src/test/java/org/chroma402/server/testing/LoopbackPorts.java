package org.chroma402.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for child processes (replicas, workers, S3Proxy) that must be told theirs up front. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port nothing listens on now; closed again before it is returned, so the child can bind it. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
