package org.chroma402.server.worker;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.remote.OipFormatException;
import org.chroma402.colorize.remote.OipMessages;
import org.chroma402.colorize.remote.OipTensor;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.http.ClientAddresses;
import org.chroma402.server.http.ConnectionGuards;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chroma402 worker}: the Open Inference Protocol (KServe v2 over HTTP, with Triton's binary
 * tensor data extension) in front of this machine's models, so a GPU box joins a fleet without
 * Triton. Concurrent requests meet in each model's {@link ColorizationEngine}, which batches them
 * into one run when the model has a dynamic batch axis. Only model runs happen here: front-ends
 * keep pre- and post-processing. With a token, every request but the health checks must carry it as a
 * bearer credential.
 *
 * <p>Without a token (a private network) it is still bounded as the API server is
 * ({@link ConnectionGuards}): bodies are gathered without a thread and must arrive at the minimum
 * rate, requests per address and connections are capped, and health checks keep threads of their
 * own. A body announced larger than the largest batch is refused with 413 before it is read, JSON
 * tensor data is bounded by the same value count as binary, and clients' images reach each model
 * in turns ({@link FairTurns}), so one client's big batches cannot hold back another's single image.
 */
public final class InferenceWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InferenceWorker.class);
    /** The most images one request may carry. */
    static final int MAX_BATCH = 16;

    private final Map<String, ColorizationEngine> engines;
    private final Map<String, FairTurns> turns = new java.util.HashMap<>();
    private final long maxRequest;
    private final String version;
    private final byte[] token;
    private final Javalin app;

    /**
     * @param engines started engines by the model name clients use
     * @param token the bearer token requests must carry, or null for none (a private network)
     * @param limits what one connection and one client address may hold, as for the API server
     */
    public InferenceWorker(Map<String, ColorizationEngine> engines, String host, int port, String version, String token,
            ServerConfig.ConnectionLimits limits) {
        this.engines = Map.copyOf(engines);
        engines.forEach((name, engine) -> turns.put(name, new FairTurns(engine)));
        this.version = version;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        long maxBody = 0;
        for (ColorizationEngine e : engines.values()) {
            int size = e.info().inputSize();
            maxBody = Math.max(maxBody, (long) MAX_BATCH * 3 * size * size * 4 + 64 * 1024);
        }
        this.maxRequest = maxBody;
        this.app = Javalin.create(c -> {
            c.http.maxRequestSize = maxRequest;
            c.jetty.host = host;
            c.jetty.port = port;
            ConnectionGuards.install(c.jetty, new ConnectionGuards.Options(limits, true, maxRequest,
                    ConnectionGuards.Options.defaultBodyBudget(), List.of("/v2/health/*"), request -> false));
            c.startup.showJavalinBanner = false;
            c.routes.before(this::authorize);
            c.routes.get("/v2", this::serverMetadata);
            c.routes.get("/v2/health/live", ctx -> ctx.status(200).json(Map.of()));
            c.routes.get("/v2/health/ready", ctx -> ctx.status(200).json(Map.of()));
            c.routes.get("/v2/models/{name}", this::modelMetadata);
            c.routes.get("/v2/models/{name}/ready", ctx -> ctx.status(engine(ctx) == null ? 404 : 200));
            c.routes.post("/v2/models/{name}/infer", this::infer);
            c.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 404, "no such endpoint");
                }
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                log.error("inference request failed", e);
                error(ctx, 500, "the worker failed unexpectedly");
            });
        });
    }

    /** Starts listening; returns the port. */
    public int start() {
        app.start();
        return app.port();
    }

    /** Images of a model's requests waiting for their turn, not yet in its engine: for tests. */
    int waiting(String model) {
        return turns.get(model).waiting();
    }

    private void authorize(Context ctx) {
        // Health says nothing and must answer probes (load balancers, the front-ends) as Triton's does.
        if (token == null || ctx.path().startsWith("/v2/health/")) {
            return;
        }
        String given = ctx.header("Authorization");
        byte[] presented = given != null && given.startsWith("Bearer ")
                ? given.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(presented, token)) {
            error(ctx, 401, "this worker needs its bearer token");
            ctx.skipRemainingHandlers();
        }
    }

    private ColorizationEngine engine(Context ctx) {
        return engines.get(ctx.pathParam("name"));
    }

    private void serverMetadata(Context ctx) {
        ctx.json(Map.of("name", "chroma402-worker", "version", version, "extensions", List.of("binary_tensor_data")));
    }

    private void modelMetadata(Context ctx) {
        ColorizationEngine engine = engine(ctx);
        if (engine == null) {
            error(ctx, 404, "no model " + ctx.pathParam("name"));
            return;
        }
        ModelInfo info = engine.info();
        long batch = info.dynamicBatch() ? -1 : 1;
        int s = info.inputSize();
        ctx.contentType("application/json").result(OipMessages.modelMetadata(new OipMessages.ModelMetadata(ctx.pathParam("name"),
                "onnxruntime_onnx", List.of(new OipMessages.TensorSpec(info.inputName(), "FP32", new long[] {batch, 3, s, s})),
                List.of(new OipMessages.TensorSpec(info.outputName(), "FP32", new long[] {batch, 2, s, s})))));
    }

    private void infer(Context ctx) throws InterruptedException {
        ColorizationEngine engine = engine(ctx);
        if (engine == null) {
            error(ctx, 404, "no model " + ctx.pathParam("name"));
            return;
        }
        ModelInfo info = engine.info();
        int s = info.inputSize();
        if (ctx.req().getContentLengthLong() > maxRequest) {
            // Refused from the header alone: the body is never read, and the connection closes after.
            ctx.header("Connection", "close");
            error(ctx, 413, "a request may be at most " + maxRequest + " bytes, " + MAX_BATCH + " images of " + s + "x" + s);
            return;
        }
        OipMessages.InferRequest request;
        try {
            String length = ctx.header(OipMessages.HEADER_LENGTH);
            request = OipMessages.parseInferRequest(ctx.bodyAsBytes(), length == null ? null : Integer.valueOf(length),
                    (long) MAX_BATCH * 3 * s * s);
        } catch (OipFormatException | NumberFormatException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        if (request.inputs().size() != 1) {
            error(ctx, 400, "the model takes one input, " + info.inputName());
            return;
        }
        OipTensor input = request.inputs().get(0);
        long[] shape = input.shape();
        if (!input.name().equals(info.inputName()) || !input.datatype().equals("FP32") || shape.length != 4 || shape[0] < 1
                || shape[0] > MAX_BATCH || shape[1] != 3 || shape[2] != s || shape[3] != s) {
            error(ctx, 400, "the model takes FP32 " + info.inputName() + " [N<=" + MAX_BATCH + ",3," + s + "," + s + "], not "
                    + input.datatype() + " " + input.name() + Arrays.toString(shape));
            return;
        }
        if (!request.outputs().isEmpty() && !request.outputs().equals(List.of(info.outputName()))) {
            error(ctx, 400, "the model's only output is " + info.outputName());
            return;
        }
        int n = (int) shape[0];
        int per = 3 * s * s;
        float[] all = input.floats();
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(Arrays.copyOfRange(all, i * per, (i + 1) * per));
        }
        List<CompletableFuture<ColorizationEngine.Inference>> runs = turns.get(ctx.pathParam("name"))
                .submit(ClientAddresses.group(ctx.ip()), images);
        int outPer = 2 * s * s;
        float[] out = new float[n * outPer];
        try {
            for (int i = 0; i < n; i++) {
                System.arraycopy(runs.get(i).get().ab(), 0, out, i * outPer, outPer);
            }
        } catch (ExecutionException e) {
            error(ctx, 500, "the model failed: " + e.getCause().getMessage());
            return;
        }
        OipMessages.Body body = OipMessages.inferResponse(ctx.pathParam("name"), request.id(),
                List.of(OipTensor.fp32(info.outputName(), new long[] {n, 2, s, s}, out)), request.binaryOutputs());
        if (body.jsonLength() != null) {
            ctx.header(OipMessages.HEADER_LENGTH, Integer.toString(body.jsonLength()));
        }
        ctx.contentType(body.contentType()).result(body.bytes());
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(OipMessages.error(message));
    }

    @Override
    public void close() {
        app.stop();
    }
}
