package org.chroma402.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.metrics.ServerMetrics;

/**
 * {@code GET /api/l402/jobs/{id}}: the poll URL of an asynchronous redeem. 202 while it runs,
 * then the same 200 as the redeem would have given. The job id is a capability: unguessable,
 * known only to whoever paid.
 */
final class JobHandler implements Handler {
    private final JobService jobs;
    private final ResultBodies bodies;
    private final ServerMetrics metrics;

    JobHandler(JobService jobs, ResultBodies bodies, ServerMetrics metrics) {
        this.jobs = jobs;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Job job = (id.matches("[0-9a-f]{32}") ? jobs.find(id) : java.util.Optional.<Job>empty())
                .orElseThrow(() -> new ApiException(ErrorCode.JOB_NOT_FOUND, "no such job",
                        "check the poll URL you were given; job ids are exact"));
        switch (job.state()) {
            case DONE -> bodies.send(ctx, job);
            case FAILED -> throw new ApiException(ErrorCode.COLORIZATION_FAILED, "colorization failed: " + job.error(),
                    "send the original request with the same credential again: you will not be charged twice");
            default -> {
                // Make sure someone is working on it (after a restart, this process may have to).
                jobs.await(job);
                ObjectNode body = JsonBodies.object();
                body.put("job_id", job.id());
                body.put("status", job.state() == org.chroma402.server.jobs.JobState.QUEUED ? "queued" : "running");
                body.put("poll_interval_ms", ColorizeHandler.POLL_INTERVAL_MS);
                ctx.header("Retry-After", "1").header("Cache-Control", "no-store").header("X-Job-Id", job.id())
                        .header("X-Poll-Interval-Ms", Long.toString(ColorizeHandler.POLL_INTERVAL_MS));
                JsonBodies.send(ctx, 202, body);
            }
        }
    }
}
