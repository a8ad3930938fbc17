package org.chroma402.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.JobState;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.mcp.McpTool;
import org.chroma402.server.mcp.ToolResult;
import org.chroma402.server.mcp.ToolSchema;
import org.chroma402.server.storage.PersistenceException;

/**
 * The tools of {@code /api/mcp}: {@code list_models}, {@code colorize_image} and {@code get_job},
 * over the same {@link ColorizeService} as the HTTP endpoint, so the same gate, rules and limits
 * apply (the caller's address counts against the same per-address invoice limit).
 */
final class McpTools {
    /** How long a paid call waits for its result before answering with the job to poll. */
    static final Duration WAIT = Duration.ofSeconds(120);

    /** What the HTTP transport knows of the caller. */
    record Caller(String clientAddress, String baseUrl) {
    }

    private McpTools() {
    }

    static List<McpTool<Caller>> all(ServerConfig config, ModelRegistry models, ColorizeService service, JobService jobs,
            ResultBodies bodies) {
        return List.of(new ListModels(models), new ColorizeImage(config, models, service, bodies), new GetJob(jobs, bodies));
    }

    static String instructions() {
        return """
                Chroma402 colorizes black-and-white photos (DDColor) for a few sats each, paid over Lightning.
                Call colorize_image with the photo as base64: the first call returns a Lightning invoice and a
                macaroon (payment_required). Pay the invoice with a Lightning wallet, then call colorize_image
                again with the same image and model_size plus the macaroon and the preimage (payment proof).
                Calling again with the same paid credential returns the same result without paying twice.""";
    }

    /** An API error as a failed tool call: the model reads the code, the reason and what to do. */
    static ToolResult error(ApiException e) {
        ObjectNode out = JsonBodies.error(e);
        out.put("http_status", e.status());
        e.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("Retry-After")) {
                out.put("retry_after_seconds", Long.parseLong(v));
            }
        });
        return ToolResult.error(out);
    }

    private record ListModels(ModelRegistry models) implements McpTool<Caller> {
        @Override
        public String name() {
            return "list_models";
        }

        @Override
        public String description() {
            return "Lists the colorization models this server sells, with their price in sats and whether they are available.";
        }

        @Override
        public ObjectNode inputSchema() {
            return ToolSchema.object();
        }

        @Override
        public ToolResult call(JsonNode arguments, Caller caller) {
            ObjectNode out = JsonBodies.object();
            out.set("models", InfoHandlers.modelList(models));
            out.put("currency", "sat");
            out.set("price_rule", InfoHandlers.priceRule());
            return ToolResult.of(out);
        }
    }

    private record ColorizeImage(ServerConfig config, ModelRegistry models, ColorizeService service, ResultBodies bodies)
            implements McpTool<Caller> {
        @Override
        public String name() {
            return "colorize_image";
        }

        @Override
        public String description() {
            return "Colorizes a black-and-white photo. Without macaroon and preimage it returns a Lightning invoice to pay "
                    + "(status payment_required); after paying, call again with the same image and model_size plus the "
                    + "macaroon and the preimage to get the result URL (and the image itself with return_image).";
        }

        @Override
        public ObjectNode inputSchema() {
            ObjectNode s = ToolSchema.object();
            ToolSchema.property(s, "image", "string", "the photo's bytes in base64 (PNG, JPEG, WebP, BMP, GIF or TIFF)");
            ArrayNode sizes = ToolSchema.property(s, "model_size", "string", "the model to use (default large)").putArray("enum");
            models.names().forEach(sizes::add);
            ToolSchema.property(s, "input_size", "integer", "render resolution, 256 to 1024 in steps of 32 (default: the model's own, see list_models); bound into the token");
            ObjectNode saturation = ToolSchema.property(s, "saturation", "number",
                    "colour strength, 0 (grey) to 2 with at most two decimals (default 1: the model's own colours); bound into the token");
            saturation.put("minimum", 0).put("maximum", 2).put("multipleOf", 0.01);
            ToolSchema.property(s, "macaroon", "string", "the macaroon from the payment_required answer, once the invoice is paid");
            ToolSchema.property(s, "preimage", "string", "the payment's preimage (64 hex characters) your wallet returned");
            ToolSchema.property(s, "authorization", "string",
                    "instead of macaroon and preimage: a whole Authorization value (L402 or Payment scheme)");
            ToolSchema.property(s, "return_image", "boolean", "also return the colorized image as image content (PNG)");
            s.putArray("required").add("image");
            return s;
        }

        @Override
        public ToolResult call(JsonNode args, Caller caller) throws Exception {
            ColorizeRequest request;
            try {
                ObjectNode body = JsonBodies.object();
                body.set("image", args.get("image"));
                if (args.hasNonNull("model_size")) {
                    body.set("model_size", args.get("model_size"));
                }
                if (args.hasNonNull("input_size")) {
                    body.set("input_size", args.get("input_size"));
                }
                if (args.hasNonNull("saturation")) {
                    body.set("saturation", args.get("saturation"));
                }
                request = ColorizeRequest.parse(JsonBodies.MAPPER.writeValueAsBytes(body), config.limits().image(),
                        models.names());
            } catch (ApiException e) {
                return error(e);
            }
            String authorization = args.path("authorization").asText(null);
            if (authorization == null && args.hasNonNull("macaroon")) {
                authorization = "L402 " + args.path("macaroon").asText() + ":" + args.path("preimage").asText("");
            }
            ColorizeService.Outcome outcome;
            try {
                outcome = service.colorize(request, authorization, caller.clientAddress());
            } catch (ApiException e) {
                return error(e);
            } catch (PersistenceException e) {
                return error(new ApiException(ErrorCode.DATABASE_UNAVAILABLE, "the server's database is unavailable"));
            }
            if (outcome instanceof ColorizeService.Outcome.PaymentRequired required) {
                ObjectNode out = ColorizeHandler.challengeBody(required.challenge(), required.price(), required.refusal(),
                        config.payments());
                out.put("status", "payment_required");
                out.put("next_step", "pay the invoice with a Lightning wallet, then call colorize_image again with the "
                        + "same image and model_size plus \"macaroon\" and \"preimage\"");
                // Payment cures it, so this is an answer to act on, not a failure (except a malformed credential).
                return required.refusal().status() == 402 ? ToolResult.of(out) : ToolResult.error(out);
            }
            ColorizeService.Outcome.Paid paid = (ColorizeService.Outcome.Paid) outcome;
            Job job;
            try {
                job = paid.redemption().result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                ObjectNode out = JsonBodies.object();
                out.put("status", "running");
                out.put("job_id", paid.redemption().jobId());
                out.put("next_step", "call get_job with this job_id in a few seconds");
                return ToolResult.of(out);
            } catch (ExecutionException e) {
                return error(ColorizeService.failed(e.getCause()));
            }
            return finished(job, caller, args.path("return_image").asBoolean(false), bodies);
        }
    }

    /**
     * The largest result returned inline as image content. A paid 40-MP result is a ~95 MB PNG, 127 MB
     * in base64 and more as JSON text: repeated free {@code get_job} calls rendered it again each time
     * and exhausted the heap. Above this the answer carries the URL only, which any client can fetch.
     */
    static final int MAX_INLINE_IMAGE_BYTES = 4 << 20;
    /** Inline renderings at once (each holds up to ~3x its image): more callers get the URL only. */
    private static final java.util.concurrent.Semaphore INLINE_RENDERINGS = new java.util.concurrent.Semaphore(2);

    static ToolResult finished(Job job, Caller caller, boolean withImage, ResultBodies bodies) throws java.io.IOException {
        try {
            bodies.requireKept(job);
            ObjectNode out = bodies.json(caller.baseUrl(), job);
            if (!withImage) {
                return ToolResult.of(out);
            }
            if (!INLINE_RENDERINGS.tryAcquire()) {
                out.put("image_omitted", "the server is returning other images right now: download image_url");
                return ToolResult.of(out);
            }
            try {
                byte[] png = bodies.png(job);
                if (png.length > MAX_INLINE_IMAGE_BYTES) {
                    out.put("image_omitted", "the image is " + png.length / (1 << 20) + " MiB, more than the "
                            + (MAX_INLINE_IMAGE_BYTES >> 20) + " MiB returned inline: download image_url");
                    return ToolResult.of(out);
                }
                return ToolResult.of(out).withImage(Base64.getEncoder().encodeToString(png), "image/png");
            } finally {
                INLINE_RENDERINGS.release();
            }
        } catch (ApiException e) {
            return error(e);
        }
    }

    private record GetJob(JobService jobs, ResultBodies bodies) implements McpTool<Caller> {
        @Override
        public String name() {
            return "get_job";
        }

        @Override
        public String description() {
            return "The state of a paid colorization by its job_id: running, or done with the result URL.";
        }

        @Override
        public ObjectNode inputSchema() {
            ObjectNode s = ToolSchema.object();
            ToolSchema.property(s, "job_id", "string", "the job_id a colorize_image call returned");
            ToolSchema.property(s, "return_image", "boolean", "also return the colorized image as image content (PNG)");
            s.putArray("required").add("job_id");
            return s;
        }

        @Override
        public ToolResult call(JsonNode args, Caller caller) throws Exception {
            String id = args.path("job_id").asText("");
            Optional<Job> found = id.matches("[0-9a-f]{32}") ? jobs.find(id) : Optional.empty();
            if (found.isEmpty()) {
                return error(new ApiException(ErrorCode.JOB_NOT_FOUND, "no such job"));
            }
            Job job = found.get();
            if (job.state() == JobState.DONE) {
                return finished(job, caller, args.path("return_image").asBoolean(false), bodies);
            }
            if (job.state() == JobState.FAILED) {
                return error(new ApiException(ErrorCode.COLORIZATION_FAILED, "colorization failed: " + job.error()));
            }
            jobs.await(job);
            ObjectNode out = JsonBodies.object();
            out.put("job_id", job.id());
            out.put("status", job.state() == JobState.QUEUED ? "queued" : "running");
            out.put("next_step", "call get_job again in a few seconds");
            return ToolResult.of(out);
        }
    }
}
