package org.chroma402.server.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import org.chroma402.server.storage.BlobStore;

/**
 * {@code GET /results/{name}}: a colorized image at its capability URL. Unknown and swept names
 * look the same (404), so the URL space reveals nothing.
 */
final class ResultHandler implements Handler {
    private final BlobStore results;
    private final Duration retention;

    ResultHandler(BlobStore results, Duration retention) {
        this.results = results;
        this.retention = retention;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String name = ctx.pathParam("name");
        if (!name.matches("[A-Za-z0-9_-]{43}\\.png")) {
            throw notFound();
        }
        byte[] bytes = results.get(name).orElseThrow(ResultHandler::notFound);
        ctx.header("Cache-Control", "private, max-age=" + retention.toSeconds() + ", immutable");
        ctx.header("X-Content-Type-Options", "nosniff");
        // No file name here: it would override the page's download="<your photo>-colorized.png".
        ctx.header("Content-Disposition", "inline");
        JsonBodies.binary(ctx, "image/png", bytes);
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.RESULT_NOT_FOUND, "no result at this address (it may have expired)",
                "results are kept for a limited time: download them promptly");
    }
}
