package org.chroma402.colorize.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Downloads model files: into a {@code .part} file next to the target, resuming it with an HTTP
 * range request when one is left from an interrupted pull, checking the SHA-256 when the spec
 * pins one, checking that the file is a model with DDColor's inputs and outputs, and only then
 * moving it into place atomically. A file that fails a check is deleted, never installed.
 */
public final class ModelDownloader {
    /** Told how far a download has come; {@code total} is -1 when the server does not say. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    /** Checks a downloaded file before it is installed; throws to refuse it. */
    @FunctionalInterface
    public interface FileCheck {
        void check(Path file) throws ModelDownloadException;
    }

    /** An installed model file. */
    public record Installed(Path file, String sha256, long sizeBytes, boolean resumed) {
    }

    private static final int MAX_REDIRECTS = 5;
    /** Aborts stalled downloads; one daemon thread for every downloader. */
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "model-download-watchdog");
                t.setDaemon(true);
                return t;
            });

    private final HttpClient client;
    private final Duration timeout;
    private final FileCheck check;
    private final DownloadLimits limits;

    public ModelDownloader(HttpClient client, Duration timeout, FileCheck check) {
        this(client, timeout, check, DownloadLimits.DEFAULT);
    }

    /**
     * @param client an HTTP client that does not follow redirects itself ({@link HttpClient.Redirect#NEVER}):
     *               each one is judged by {@code limits}
     */
    public ModelDownloader(HttpClient client, Duration timeout, FileCheck check, DownloadLimits limits) {
        this.client = client;
        this.timeout = timeout;
        this.check = check;
        this.limits = limits;
    }

    /** Downloads a ready ONNX model file into the models directory. */
    public Installed download(ModelSpec spec, Path directory, Progress progress)
            throws IOException, ModelDownloadException, InterruptedException {
        if (spec.url() == null) {
            throw new ModelDownloadException("model " + spec.name() + " has no download URL; configure models."
                    + spec.name() + ".url or put " + spec.fileName() + " into " + directory);
        }
        return fetch(spec.name(), spec.url(), spec.sha256(), directory.resolve(spec.fileName()), check, progress);
    }

    /**
     * Downloads {@code url} to {@code target}: resumes a {@code .part} file left by an interrupted
     * download, checks the digest when one is given and the file with {@code fileCheck}, then moves
     * it into place. Network failures name the host and the reason.
     */
    public Installed fetch(String name, URI url, String sha256, Path target, FileCheck fileCheck, Progress progress)
            throws IOException, ModelDownloadException, InterruptedException {
        OwnerOnly.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long existing = Files.exists(part) ? Files.size(part) : 0;

        HttpResponse<InputStream> response = follow(name, url, existing);
        boolean resumed;
        long total;
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (status == 206 && existing > 0) {
                resumed = true;
                total = length.isPresent() ? existing + length.getAsLong() : -1;
            } else if (status == 416 && existing > 0) {
                // The part file is already complete; verify it as it is.
                resumed = true;
                total = existing;
                body.transferTo(OutputStream.nullOutputStream());
            } else if (status == 200) {
                resumed = false;
                existing = 0;
                total = length.orElse(-1);
            } else if (status >= 300 && status < 400) {
                throw new ModelDownloadException("download of " + name + " from " + url + " was redirected more than "
                        + MAX_REDIRECTS + " times");
            } else {
                throw new ModelDownloadException("download of " + name + " from " + url + " failed: HTTP " + status
                        + (status == 404 ? " (no such file there)" : status == 401 || status == 403 ? " (the server refuses it)" : ""));
            }
            if (total > limits.maxBytes()) {
                throw new ModelDownloadException("the download of " + name + " from " + url.getHost() + " is " + total
                        + " bytes, more than the " + limits.maxBytes() + " allowed (models.max-download-size)");
            }
            if (status != 416) {
                java.util.concurrent.atomic.AtomicLong lastByte = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
                java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
                long checkEvery = Math.max(100, Math.min(1000, limits.stallTimeout().toMillis() / 4));
                java.util.concurrent.ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
                    if (System.nanoTime() - lastByte.get() > limits.stallTimeout().toNanos() && stalled.compareAndSet(false, true)) {
                        // Closing the body makes the blocked read fail: the JDK client has no read timeout.
                        try {
                            body.close();
                        } catch (IOException ignored) {
                            // the read fails either way
                        }
                    }
                }, checkEvery, checkEvery, java.util.concurrent.TimeUnit.MILLISECONDS);
                try {
                    copy(body, part, existing, total, progress, status == 206, lastByte);
                } catch (TooLarge e) {
                    Files.deleteIfExists(part);
                    throw new ModelDownloadException("the download of " + name + " from " + url.getHost() + " went past "
                            + limits.maxBytes() + " bytes (models.max-download-size) and was deleted");
                } catch (IOException e) {
                    String reason = stalled.get() ? "no data for " + limits.stallTimeout().toSeconds() + " s"
                            : networkReason(url, e);
                    throw new ModelDownloadException("the download of " + name + " from " + url.getHost() + " broke off after "
                            + Files.size(part) + " bytes (" + reason + "); run the pull again to resume it", e);
                } finally {
                    watch.cancel(false);
                }
            }
        }
        if (total >= 0 && Files.size(part) != total) {
            throw new ModelDownloadException("the download of " + name + " ended after " + Files.size(part) + " of " + total
                    + " bytes; run the pull again to resume it");
        }
        String digest = sha256(part);
        if (sha256 != null && !sha256.equals(digest)) {
            Files.deleteIfExists(part);
            throw new ModelDownloadException("downloaded " + target.getFileName() + " has SHA-256 " + digest
                    + " but " + sha256 + " was expected; the file was deleted");
        }
        try {
            fileCheck.check(part);
        } catch (ModelDownloadException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        long size = Files.size(part);
        moveIntoPlace(part, target);
        return new Installed(target, digest, size, resumed);
    }

    /** Replaces {@code target} with the finished {@code part} file (made owner-only) in one step where the file system can. */
    static void moveIntoPlace(Path part, Path target) throws IOException {
        OwnerOnly.restrict(part);
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Why a request failed, in words an operator can act on. */
    static String networkReason(URI url, IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        if (e instanceof java.net.ConnectException || cause instanceof java.net.ConnectException) {
            return "cannot connect to " + host + " (connection refused or no network)";
        }
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "no answer from " + host + " (connection timed out; offline?)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return host + " stopped answering (timed out)";
        }
        if (cause instanceof java.nio.channels.UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
            return "the name " + url.getHost() + " does not resolve (offline, or no DNS)";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message) + " (host " + host + ")";
    }

    /**
     * Sends the GET, following redirects that {@link DownloadLimits#mayRedirect} allows, with the
     * resume range on every hop.
     */
    private HttpResponse<InputStream> follow(String name, URI url, long existing)
            throws ModelDownloadException, InterruptedException {
        URI at = url;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(at).timeout(timeout).GET();
            if (existing > 0) {
                request.header("Range", "bytes=" + existing + "-");
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new ModelDownloadException("cannot download " + name + " from " + at + ": " + networkReason(at, e), e);
            }
            int status = response.statusCode();
            java.util.Optional<String> location = response.headers().firstValue("Location");
            if (!List.of(301, 302, 303, 307, 308).contains(status) || location.isEmpty() || hop == MAX_REDIRECTS) {
                return response;
            }
            try {
                response.body().close();
            } catch (IOException ignored) {
                // nothing of this answer is needed
            }
            URI next;
            try {
                next = at.resolve(location.get());
            } catch (IllegalArgumentException e) {
                throw new ModelDownloadException("download of " + name + " from " + at + " redirects to an invalid address");
            }
            if (!limits.mayRedirect(at, next)) {
                throw new ModelDownloadException("download of " + name + " from " + at.getHost() + " redirects to "
                        + next.getScheme() + "://" + next.getAuthority() + ", which is neither the same server nor a host of "
                        + "models.redirect-hosts; refused");
            }
            at = next;
        }
    }

    /** The body went past {@link DownloadLimits#maxBytes()}. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private void copy(InputStream body, Path part, long existing, long total, Progress progress, boolean append,
            java.util.concurrent.atomic.AtomicLong lastByte) throws IOException {
        StandardOpenOption[] options = append
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE};
        try (OutputStream out = Files.newOutputStream(part, options)) {
            byte[] buffer = new byte[1 << 16];
            long done = existing;
            long lastReport = 0;
            int n;
            while ((n = body.read(buffer)) >= 0) {
                lastByte.set(System.nanoTime());
                if (done + n > limits.maxBytes()) {
                    throw new TooLarge();
                }
                out.write(buffer, 0, n);
                done += n;
                if (done - lastReport >= (1 << 20)) {
                    progress.update(done, total);
                    lastReport = done;
                }
            }
            progress.update(done, total);
        }
    }

    /** The SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
