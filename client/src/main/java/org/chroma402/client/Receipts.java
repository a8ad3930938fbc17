package org.chroma402.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Paid credentials, kept until their colorization is downloaded, keyed by server and the
 * SHA-256 of the exact request body. Written before the paid request is sent, so a client that
 * crashes, loses its network or is interrupted after paying redeems the same payment on the next
 * run instead of paying again. On disk it is a JSON-lines file readable only by its owner, since
 * each credential is a bearer token for its request.
 */
public final class Receipts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One payment: what it redeems, and for how much. */
    public record Receipt(String server, String requestSha256, String credential, long amountSat, Instant paidAt) {
    }

    private final Path file;
    private final Map<String, Receipt> byKey = new HashMap<>();

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
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    receipts.load(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read receipts " + file, e);
            }
        }
        return receipts;
    }

    private void load(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            String server = n.path("server").asText();
            String sha = n.path("request_sha256").asText();
            if (n.path("done").asBoolean(false)) {
                byKey.remove(key(server, sha));
                return;
            }
            byKey.put(key(server, sha), new Receipt(server, sha, n.path("credential").asText(), n.path("amount_sat").asLong(),
                    Instant.parse(n.path("paid_at").asText())));
        } catch (IOException | RuntimeException e) {
            // A line cut short by a crash: the receipts before and after it still count.
        }
    }

    public synchronized Optional<Receipt> find(String server, String requestSha256) {
        return Optional.ofNullable(byKey.get(key(server, requestSha256)));
    }

    /** Records a payment; on disk before this returns. */
    public synchronized void paid(Receipt receipt) {
        byKey.put(key(receipt.server(), receipt.requestSha256()), receipt);
        ObjectNode line = JSON.createObjectNode();
        line.put("server", receipt.server());
        line.put("request_sha256", receipt.requestSha256());
        line.put("credential", receipt.credential());
        line.put("amount_sat", receipt.amountSat());
        line.put("paid_at", receipt.paidAt().toString());
        append(line);
    }

    /** Forgets a receipt whose result has been saved. */
    public synchronized void done(String server, String requestSha256) {
        if (byKey.remove(key(server, requestSha256)) != null) {
            ObjectNode line = JSON.createObjectNode();
            line.put("server", server);
            line.put("request_sha256", requestSha256);
            line.put("done", true);
            append(line);
        }
    }

    private void append(ObjectNode line) {
        if (file == null) {
            return;
        }
        try {
            if (!Files.exists(file)) {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
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
