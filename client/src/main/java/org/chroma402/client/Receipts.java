package org.chroma402.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Paid credentials, keyed by server and the SHA-256 of the exact request body (so by the photo's
 * bytes, the model and every option sent, never by where the result is saved). Written before the
 * paid request is sent, so a client that crashes, loses its network or is interrupted after paying
 * redeems the same payment on the next run instead of paying again. A credential stays after its
 * result was saved: the server replays a paid request for as long as it keeps the result, so the
 * same photo bought again into another folder, or after its output was deleted, costs nothing. Only
 * when the server says a credential can no longer buy anything is it {@linkplain #forget forgotten}.
 *
 * <p>On disk it is a JSON-lines file readable only by its owner, since each credential is a bearer
 * token for its request. Lines appended by another process (an {@code mcp} session and a
 * {@code colorize} run side by side) are read before each lookup.
 */
public final class Receipts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One payment: what it redeems, and for how much. */
    public record Receipt(String server, String requestSha256, String credential, long amountSat, Instant paidAt) {
    }

    private final Path file;
    private final Map<String, Receipt> byKey = new HashMap<>();
    /** Keys whose result was downloaded at least once: the work was done, so a refusal now means the credential is spent. */
    private final Set<String> redeemed = new HashSet<>();
    /** How many bytes of the file are loaded; what lies beyond was appended since. */
    private long loadedBytes;

    private Receipts(Path file) {
        this.file = file;
    }

    /** Receipts that live as long as this process. */
    public static Receipts inMemory() {
        return new Receipts(null);
    }

    /** Receipts in a file, loaded now; a damaged line is skipped, never fatal. */
    public static Receipts open(Path file) {
        Receipts receipts = new Receipts(file);
        receipts.refresh();
        return receipts;
    }

    /** Loads the whole lines appended to the file since it was last read. */
    private void refresh() {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= loadedBytes) {
                return;
            }
            ByteBuffer tail = ByteBuffer.allocate(Math.toIntExact(size - loadedBytes));
            while (tail.hasRemaining() && channel.read(tail, loadedBytes + tail.position()) >= 0) {
                // Read until the buffer is full (or the file turns out shorter than its size said).
            }
            byte[] bytes = tail.array();
            int end = tail.position();
            // A line still being written (no newline yet) is read once it is whole.
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    load(line);
                }
            }
            loadedBytes += end;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read receipts " + file, e);
        }
    }

    private void load(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            String server = n.path("server").asText();
            String sha = n.path("request_sha256").asText();
            String key = key(server, sha);
            if (n.path("stale").asBoolean(false)) {
                byKey.remove(key);
                redeemed.remove(key);
            } else if (n.path("done").asBoolean(false)) {
                // Before stale lines existed, done meant forgotten; the credential is still good for a replay.
                if (byKey.containsKey(key)) {
                    redeemed.add(key);
                }
            } else {
                byKey.put(key, new Receipt(server, sha, n.path("credential").asText(), n.path("amount_sat").asLong(),
                        Instant.parse(n.path("paid_at").asText())));
                redeemed.remove(key);
            }
        } catch (IOException | RuntimeException e) {
            // A line cut short by a crash: the receipts before and after it still count.
        }
    }

    /** The credential that paid for this request, redeemed already or not, unless the server has refused it since. */
    public synchronized Optional<Receipt> find(String server, String requestSha256) {
        refresh();
        return Optional.ofNullable(byKey.get(key(server, requestSha256)));
    }

    /** Whether the result of this receipt's request was downloaded at least once. */
    public synchronized boolean isRedeemed(String server, String requestSha256) {
        return redeemed.contains(key(server, requestSha256));
    }

    /** Records a payment; on disk before this returns. */
    public synchronized void paid(Receipt receipt) {
        String key = key(receipt.server(), receipt.requestSha256());
        byKey.put(key, receipt);
        redeemed.remove(key);
        ObjectNode line = JSON.createObjectNode();
        line.put("server", receipt.server());
        line.put("request_sha256", receipt.requestSha256());
        line.put("credential", receipt.credential());
        line.put("amount_sat", receipt.amountSat());
        line.put("paid_at", receipt.paidAt().toString());
        append(line);
    }

    /**
     * Notes that the result of this request was downloaded. The receipt is kept: its credential
     * replays the request for free for as long as the server keeps the result.
     */
    public synchronized void redeemed(String server, String requestSha256) {
        String key = key(server, requestSha256);
        if (byKey.containsKey(key) && redeemed.add(key)) {
            append(mark(server, requestSha256, "done"));
        }
    }

    /** Forgets a receipt whose credential the server refused for good (its result or token expired): the next purchase pays. */
    public synchronized void forget(String server, String requestSha256) {
        String key = key(server, requestSha256);
        redeemed.remove(key);
        if (byKey.remove(key) != null) {
            append(mark(server, requestSha256, "stale"));
        }
    }

    private static ObjectNode mark(String server, String requestSha256, String flag) {
        ObjectNode line = JSON.createObjectNode();
        line.put("server", server);
        line.put("request_sha256", requestSha256);
        line.put(flag, true);
        return line;
    }

    private void append(ObjectNode line) {
        if (file == null) {
            return;
        }
        try {
            if (!Files.exists(file)) {
                if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
                    // Receipts are credentials for money: their folder is the owner's alone too.
                    try {
                        Files.createDirectories(file.getParent(),
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    } catch (UnsupportedOperationException e) {
                        Files.createDirectories(file.getParent());
                    }
                }
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system; the file keeps its default permissions.
                }
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write receipts " + file, e);
        }
    }

    private static String key(String server, String sha) {
        return server + " " + sha;
    }
}
