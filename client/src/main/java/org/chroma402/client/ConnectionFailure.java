package org.chroma402.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why a server could not be reached, in words with what to check. The JDK's HTTP client often
 * throws with no message of its own (a refused connection is a {@code ConnectException} whose
 * message is null, with the reason on its cause), which printed as "cannot reach …: null".
 */
final class ConnectionFailure {
    private ConnectionFailure() {
    }

    static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return firstMessage(e, "connection refused").toLowerCase(Locale.ROOT)
                    + ": nothing answers there (is the server running? are the host and port right?)";
        }
        if (e instanceof HttpTimeoutException) {
            return "it did not answer in time (is the address right? a firewall in the way?)";
        }
        if (e.getCause() instanceof UnresolvedAddressException || e instanceof UnknownHostException) {
            return "the host name does not resolve (check the URL)";
        }
        if (e instanceof SSLException) {
            return "the TLS connection failed (" + firstMessage(e, "handshake failed") + "); is it http:// rather than https://?";
        }
        return firstMessage(e, e.getClass().getSimpleName());
    }

    /** The first message along the causes, or {@code fallback} when none has one. */
    private static String firstMessage(Throwable e, String fallback) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return fallback;
    }
}
