package org.chroma402.server.testing;

import java.nio.file.Path;

/**
 * A test server in its own JVM, so a test can kill it like a crash would. Arguments: the data
 * directory, and whether the model runs ({@code true}) or paid jobs stay stuck in its queue
 * ({@code false}, to be killed mid-job). Prints {@code PORT <n>} once it listens.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean modelRuns = Boolean.parseBoolean(args[1]);
        TestServer server = new TestServer(dir, TestServer.Options.defaults().withQueue(16, modelRuns));
        System.out.println("PORT " + server.base.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
