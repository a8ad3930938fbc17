package org.chroma402.server.http;

import io.javalin.config.JettyConfig;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.chroma402.server.config.ServerConfig;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.handler.ThreadLimitHandler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * What a slow, idle or greedy client may hold of a Javalin listener, set up once for both the
 * API server and {@code chroma402 worker}: a body is gathered without a thread before any handler
 * runs and must keep arriving at the minimum rate; a silent connection is closed; one address (an
 * IPv6 client: its /64) may have only so many requests dispatched, the rest waiting without a
 * thread; open connections are capped; and the probe paths keep threads of their own, so health
 * checks answer under any API load.
 *
 * <p>The handlers wrap Javalin's servlet context at the server level, outermost first: gather
 * the body, then the per-address cap, then the cap on API requests running at once.
 */
public final class ConnectionGuards {
    /** Threads kept for the probe paths and Jetty's own selectors, out of the pool's maximum. */
    static final int RESERVED_THREADS = 24;

    private ConnectionGuards() {
    }

    /**
     * How one listener is guarded.
     *
     * @param perAddress whether to cap requests per client address (off behind trusted proxies,
     *     where every request comes from a proxy)
     * @param maxBodyBytes the largest request body; a larger announced body is handed on unread
     *     for the application to refuse, a larger chunked one is refused with 413
     * @param bodyBudgetBytes memory all bodies being gathered may hold together
     * @param probePaths path specs ({@code /healthz}, {@code /v2/health/*}) that never wait for API work
     * @param answerUnread requests the application will answer without reading their body
     */
    public record Options(ServerConfig.ConnectionLimits limits, boolean perAddress, long maxBodyBytes,
            long bodyBudgetBytes, List<String> probePaths, Predicate<Request> answerUnread) {
        public Options {
            Objects.requireNonNull(limits, "limits");
            probePaths = List.copyOf(probePaths);
            Objects.requireNonNull(answerUnread, "answerUnread");
            if (maxBodyBytes < 1 || bodyBudgetBytes < 1) {
                throw new IllegalArgumentException("body limits must be positive");
            }
        }

        /** A quarter of the heap for bodies being gathered: enough for many full-size uploads at once. */
        public static long defaultBodyBudget() {
            return Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
        }
    }

    /** Installs the guards on a listener being configured. */
    public static void install(JettyConfig jetty, Options options) {
        ServerConfig.ConnectionLimits limits = options.limits();
        jetty.modifyHttpConfiguration(http -> {
            http.setMinRequestDataRate(limits.minUploadBytesPerSecond());
            http.setIdleTimeout(limits.idleTimeout().toMillis());
        });
        jetty.modifyServer(server -> {
            server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
            Handler.Wrapper outer = new BodyFirstHandler(options.maxBodyBytes(), options.bodyBudgetBytes(),
                    options.answerUnread(), limits.minUploadBytesPerSecond());
            Handler.Wrapper inner = outer;
            if (options.perAddress()) {
                ThreadLimitHandler perAddress = new GroupedThreadLimitHandler();
                perAddress.setThreadLimit(limits.requestsPerAddress());
                inner.setHandler(perAddress);
                inner = perAddress;
            }
            QoSHandler api = new QoSHandler();
            api.setMaxRequestCount(apiRequests(server.getThreadPool()));
            api.setMaxSuspend(limits.idleTimeout());
            api.excludePath(options.probePaths().toArray(String[]::new));
            inner.setHandler(api);
            // Javalin attaches its servlet context below the innermost wrapper.
            server.setHandler(outer);
        });
    }

    /** API requests dispatched at once: the pool less the threads kept for probes and Jetty itself. */
    static int apiRequests(ThreadPool pool) {
        int max = pool instanceof ThreadPool.SizedThreadPool sized ? sized.getMaxThreads() : 200;
        return Math.max(4, max - RESERVED_THREADS);
    }

    /** The per-address cap, counting an IPv6 client by its /64 as every other per-address limit does. */
    private static final class GroupedThreadLimitHandler extends ThreadLimitHandler {
        @Override
        protected String getRemoteIP(Request request) {
            String ip = super.getRemoteIP(request);
            return ip == null ? null : ClientAddresses.group(ip);
        }
    }
}
