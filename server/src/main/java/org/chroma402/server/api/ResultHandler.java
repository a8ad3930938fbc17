package org.chroma402.server.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobStore;
import org.chroma402.server.storage.BlobStore;

/**
 * {@code GET /results/{name}}: a colorized image at its capability URL, streamed from the store,
 * or with {@code results.delivery: redirect} a 302 to the object store's presigned URL, valid no
 * longer than the result (and at most a week, S3's limit). Unknown and swept names look the same
 * (404), so the URL space reveals nothing.
 */
final class ResultHandler implements Handler {
    /** The longest a SigV4 presigned URL may be valid. */
    private static final Duration MAX_PRESIGNED = Duration.ofDays(7);

    private final BlobStore results;
    private final JobStore jobs;
    private final ServerConfig.ResultPolicy policy;
    private final Clock clock;

    ResultHandler(BlobStore results, JobStore jobs, ServerConfig.ResultPolicy policy, Clock clock) {
        this.results = results;
        this.jobs = jobs;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String name = ctx.pathParam("name");
        if (!name.matches("[A-Za-z0-9_-]{43}\\.png")) {
            throw notFound();
        }
        if (policy.delivery() == ServerConfig.ResultPolicy.Delivery.REDIRECT) {
            Optional<URI> redirect = presigned(name);
            if (redirect.isPresent()) {
                ctx.header("Cache-Control", "no-store");
                ctx.redirect(redirect.get().toString(), io.javalin.http.HttpStatus.FOUND);
                return;
            }
        }
        byte[] bytes = results.get(name).orElseThrow(ResultHandler::notFound);
        ctx.header("Cache-Control", "private, max-age=" + policy.retention().toSeconds() + ", immutable");
        ctx.header("X-Content-Type-Options", "nosniff");
        // No file name here: it would override the page's download="<your photo>-colorized.png".
        ctx.header("Content-Disposition", "inline");
        JsonBodies.binary(ctx, "image/png", bytes);
    }

    /** The presigned URL of a result that still exists; empty to stream it (or to answer 404). */
    private Optional<URI> presigned(String name) {
        Instant now = clock.instant();
        Optional<Job> job = jobs.findByResultName(name).filter(j -> !j.resultGone(now));
        if (job.isEmpty()) {
            throw notFound();
        }
        Duration left = Duration.between(now, job.get().resultExpiresAt());
        if (left.isNegative() || left.isZero()) {
            throw notFound();
        }
        return results.presignedGet(name, left.compareTo(MAX_PRESIGNED) > 0 ? MAX_PRESIGNED : left);
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.RESULT_NOT_FOUND, "no result at this address (it may have expired)",
                "results are kept for a limited time: download them promptly");
    }
}
