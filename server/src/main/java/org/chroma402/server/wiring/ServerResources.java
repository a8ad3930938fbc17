package org.chroma402.server.wiring;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.metrics.BuildInfo;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.storage.BlobStore;

/**
 * What a server is built from, made outside it (by {@code app}'s {@code Assembly}, or a test's
 * fixture): its configuration, an open database, a Lightning backend, the models on sale,
 * storage for results and inputs, the encoder for images it sends, time and randomness.
 *
 * @param devWallet the development node's own wallet when the backend is the development node,
 *     else null; its presence is what "development payments" means everywhere
 * @param encoder encodes the images the server sends (its JPEG quality is {@code output.jpeg-quality})
 * @param build the version and commit, for {@code chroma402_build_info}
 */
public record ServerResources(ServerConfig config, Database database, InvoiceBackend backend, PaymentBackend devWallet,
        ModelRegistry models, BlobStore results, BlobStore inputs, ImageEncoder encoder, Clock clock,
        SecureRandom random, BuildInfo build) {

    public ServerResources {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(build, "build");
    }

    /** Why results or inputs cannot be stored right now, if they cannot: asked before invoices and by {@code /readyz}. */
    public java.util.Optional<String> storageProblem() {
        for (BlobStore store : java.util.List.of(results, inputs)) {
            try {
                store.checkHealth();
            } catch (java.io.IOException e) {
                return java.util.Optional.of(e.getMessage());
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether anyone may pay this server's invoices with its development wallet. */
    public boolean developmentPayments() {
        return devWallet != null;
    }
}
