package org.chroma402.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.image.PhotoMetadata;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.storage.BlobStore;

/** The 200 answer for a finished job, as JSON or, when the client asked for it, as the image itself. */
final class ResultBodies {
    private final BlobStore results;
    private final PublicUrls urls;
    private final Clock clock;
    private final ImageDecoder decoder;
    private final ImageEncoder encoder;
    /** JPEG renderings being made now, by object name. */
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> rendering = new ConcurrentHashMap<>();

    ResultBodies(BlobStore results, PublicUrls urls, Clock clock, ImageDecoder decoder, ImageEncoder encoder) {
        this.results = results;
        this.urls = urls;
        this.clock = clock;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    ObjectNode json(Context ctx, Job job) {
        return json(urls.base(ctx), job);
    }

    /** The JSON answer for a finished job, with URLs under {@code base}. */
    ObjectNode json(String base, Job job) {
        ObjectNode body = JsonBodies.object();
        body.put("image_url", base + "/results/" + job.resultName());
        body.put("expires_at", job.resultExpiresAt().toString());
        body.put("width", job.width());
        body.put("height", job.height());
        body.put("model_size", job.model());
        body.put("payment_hash", job.paymentHash().hex());
        body.put("job_id", job.id());
        body.put("status", "done");
        return body;
    }

    /** Sends the finished job in the form the client asked for. */
    void send(Context ctx, Job job) throws java.io.IOException {
        requireKept(job);
        OutputFormat wanted = wantedImage(ctx.header("Accept"));
        if (wanted == null) {
            ctx.header("Cache-Control", "no-store");
            JsonBodies.send(ctx, 200, json(ctx, job));
            return;
        }
        byte[] body = wanted == OutputFormat.JPEG ? jpegOf(job) : png(job);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Image-Url", urls.base(ctx) + "/results/" + job.resultName());
        ctx.status(200);
        JsonBodies.binary(ctx, wanted.mediaType(), body);
    }

    /** Refuses a job whose result has expired and was deleted. */
    void requireKept(Job job) {
        if (job.resultGone(clock.instant())) {
            throw new ApiException(ErrorCode.RESULT_EXPIRED, "the result of this paid request has expired and was deleted",
                    "results are kept for a limited time; to colorize the photo again, send it without the credential and pay the new invoice");
        }
    }

    /**
     * The JPEG rendering of a result: encoded on first request, then kept beside the PNG until it
     * expires. One rendering per result at a time: requests that come while it is being made wait
     * for it rather than each decoding the PNG and encoding again (a client retrying, or many
     * fetching one shared result at once).
     */
    private byte[] jpegOf(Job job) throws java.io.IOException {
        String name = job.jpegRenderingName();
        Optional<byte[]> kept = results.get(name);
        if (kept.isPresent()) {
            return kept.get();
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = rendering.putIfAbsent(name, mine);
        if (running != null) {
            return awaitRendering(running);
        }
        try {
            // Looked for again: a rendering may have been stored between the first look and now.
            byte[] jpeg = results.get(name).orElse(null);
            if (jpeg == null) {
                jpeg = renderJpeg(job);
                results.put(name, jpeg);
            }
            mine.complete(jpeg);
            return jpeg;
        } catch (java.io.IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            rendering.remove(name, mine);
        }
    }

    private byte[] renderJpeg(Job job) throws java.io.IOException {
        try {
            byte[] png = png(job);
            // Our own result, read under its own size: the upload limit is for what clients send,
            // and the PNG of a large photo is larger than the JPEG it came from (a paid 8000x5000
            // result of 22 MiB failed against the 20 MiB upload limit). Its pixels are the input's.
            ImageDecoder own = new ImageDecoder(new ImageLimits(Math.max(png.length, decoder.limits().maxEncodedBytes()),
                    decoder.limits().maxPixels()));
            // The JPEG carries what the PNG carries: the input's EXIF and the colorized mark.
            return PhotoMetadata.of(png).writeTo(encoder.encode(own.decode(png), OutputFormat.JPEG), OutputFormat.JPEG);
        } catch (ImageException e) {
            throw new IllegalStateException("a stored result does not decode", e);
        }
    }

    /** Another request's rendering, or its failure as that request saw it. */
    private static byte[] awaitRendering(CompletableFuture<byte[]> running) throws java.io.IOException {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** The PNG result of a finished job. */
    byte[] png(Job job) throws java.io.IOException {
        return results.get(job.resultName()).orElseThrow(() -> new ApiException(ErrorCode.RESULT_EXPIRED,
                "the result file is no longer available", "send the same request again to produce it"));
    }

    /** PNG or JPEG when the Accept header asks for an image rather than JSON; null for JSON. */
    static OutputFormat wantedImage(String accept) {
        if (accept == null) {
            return null;
        }
        String a = accept.toLowerCase(java.util.Locale.ROOT);
        int json = a.indexOf("application/json");
        int png = a.indexOf("image/png");
        int jpeg = Math.max(a.indexOf("image/jpeg"), a.indexOf("image/jpg"));
        int anyImage = a.indexOf("image/*");
        int firstImage = minPositive(png, jpeg, anyImage);
        if (firstImage < 0 || (json >= 0 && json < firstImage)) {
            return null;
        }
        if (jpeg >= 0 && (png < 0 || jpeg < png)) {
            return OutputFormat.JPEG;
        }
        return OutputFormat.PNG;
    }

    private static int minPositive(int... values) {
        int best = -1;
        for (int v : values) {
            if (v >= 0 && (best < 0 || v < best)) {
                best = v;
            }
        }
        return best;
    }
}
