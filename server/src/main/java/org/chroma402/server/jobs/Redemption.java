package org.chroma402.server.jobs;

import java.util.concurrent.CompletableFuture;

/** A paid request's job, known at once, and its result when it is ready. */
public record Redemption(String jobId, CompletableFuture<Job> result) {
}
