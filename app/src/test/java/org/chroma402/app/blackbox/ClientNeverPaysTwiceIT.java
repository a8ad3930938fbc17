package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.chroma402.server.testing.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise "it never pays twice for one request", kept by the shipped jar: a
 * {@code serve} on the development backend and the buyer ({@code colorize --server}, {@code mcp})
 * as separate processes. A photo bought once is replayed from its stored credential for as long as
 * the server keeps the result, whatever output folder it goes to this time.
 */
class ClientNeverPaysTwiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private JarProcess server;
    private URI base;
    private Path clientConfig;

    @BeforeEach
    void serve() throws Exception {
        int port = LoopbackPorts.free();
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path config = ShippedJar.serveConfig(serverDir, port, "");
        server = ShippedJar.start(serverDir, "serve", "-c", config.toString());
        base = URI.create("http://127.0.0.1:" + port);
        ShippedJar.awaitReady(server, base, Duration.ofSeconds(120));
        Path clientDir = Files.createDirectories(dir.resolve("client"));
        clientConfig = Files.writeString(clientDir.resolve("chroma402.yaml"), "data-dir: %s\n"
                .formatted(clientDir.resolve("data")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPhotoBoughtOnceIsReplayedForFreeWhereverItsOutputGoes() throws Exception {
        Path album = Files.createDirectories(dir.resolve("album"));
        photo(album.resolve("a.png"), 1);
        photo(album.resolve("b.png"), 2);
        Path out = dir.resolve("out");

        JsonNode first = colorize(album, out);
        assertThat(first.get("colorized").asInt()).as(first.toString()).isEqualTo(2);
        assertThat(first.get("files")).allSatisfy(f -> assertThat(f.get("paid_sats").asInt()).as("bought").isPositive());
        byte[] bought = Files.readAllBytes(out.resolve("a-color.png"));

        Files.delete(out.resolve("a-color.png"));
        JsonNode again = colorize(album, out);
        assertThat(again.get("colorized").asInt()).as(again.toString()).isEqualTo(1);
        assertThat(again.get("skipped").asInt()).isEqualTo(1);
        assertThat(again.get("paid_sats").asInt()).as("a deleted output is replayed, not bought again").isZero();
        assertThat(out.resolve("a-color.png")).as("the output is restored").hasBinaryContent(bought);

        Path elsewhere = dir.resolve("elsewhere");
        JsonNode moved = colorize(album, elsewhere);
        assertThat(moved.get("colorized").asInt()).as(moved.toString()).isEqualTo(2);
        assertThat(moved.get("paid_sats").asInt()).as("another output folder is not another purchase").isZero();
        assertThat(elsewhere.resolve("a-color.png")).hasBinaryContent(bought);

        // The receipts hold one payment per request, however often it was replayed.
        Map<String, Integer> payments = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("client/data/client-receipts.jsonl"))) {
            JsonNode receipt = JSON.readTree(line);
            if (receipt.hasNonNull("credential")) {
                payments.merge(receipt.get("request_sha256").asText(), 1, Integer::sum);
            }
        }
        assertThat(payments).hasSize(2).allSatisfy((sha, count) -> assertThat(count).as(sha).isEqualTo(1));
    }

    @Test
    void theMcpServerPaysOncePerPhotoWhateverTheOutputFolder() throws Exception {
        Path album = Files.createDirectories(dir.resolve("album"));
        photo(album.resolve("a.png"), 3);
        try (JarProcess mcp = ShippedJar.startWithInput(dir.resolve("client"), "mcp", "-c", clientConfig.toString(),
                "--server", base.toString(), "--model", "tiny")) {
            Mcp session = new Mcp(mcp);
            session.call("initialize", JSON.readTree("""
                    {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "it", "version": "1"}}"""));
            mcp.send("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}");

            JsonNode first = session.colorizeFiles(album, dir.resolve("one"));
            assertThat(first.get("colorized").asInt()).as(first.toString()).isEqualTo(1);
            int price = first.get("paid_sats").asInt();
            assertThat(price).as("bought").isPositive();

            JsonNode second = session.colorizeFiles(album, dir.resolve("two"));
            assertThat(second.get("colorized").asInt()).as(second.toString()).isEqualTo(1);
            assertThat(second.get("paid_sats").asInt()).as("the same photo into another folder is replayed").isZero();
            assertThat(second.get("session_spent_sats").asInt()).isEqualTo(price);
            assertThat(dir.resolve("two/a-color.png")).hasSameBinaryContentAs(dir.resolve("one/a-color.png"));
            mcp.closeInput();
            assertThat(mcp.awaitExit(Duration.ofSeconds(30))).as(mcp.describe()).isZero();
        }

        // A later command-line run finds the MCP session's receipt too.
        JsonNode cli = colorize(album, dir.resolve("three"));
        assertThat(cli.get("colorized").asInt()).as(cli.toString()).isEqualTo(1);
        assertThat(cli.get("paid_sats").asInt()).isZero();
    }

    /**
     * With no data directory configured, the receipts are the user's, not the working folder's:
     * the same user running the same purchase from another folder replays it (a new user trying
     * the client from a second folder paid 15 sats again for three photos).
     */
    @Test
    void runningFromAnotherFolderDoesNotPayAgain() throws Exception {
        Path album = Files.createDirectories(dir.resolve("album2"));
        photo(album.resolve("c.png"), 3);
        Path home = Files.createDirectories(dir.resolve("home"));
        JsonNode first = colorizeFrom(Files.createDirectories(dir.resolve("cwd1")), home, album, dir.resolve("out1"));
        assertThat(first.get("paid_sats").asInt()).as(first.toString()).isPositive();
        JsonNode second = colorizeFrom(Files.createDirectories(dir.resolve("cwd2")), home, album, dir.resolve("out2"));
        assertThat(second.get("colorized").asInt()).as(second.toString()).isEqualTo(1);
        assertThat(second.get("paid_sats").asInt()).as("the same user in another folder replays").isZero();
        assertThat(home.resolve(".chroma402/client-receipts.jsonl")).exists();
        assertThat(java.nio.file.Files.getPosixFilePermissions(home.resolve(".chroma402")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                        java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    }

    /** {@code colorize --server} from {@code cwd} on embedded defaults (no config), as the user {@code home}. */
    private JsonNode colorizeFrom(Path cwd, Path home, Path in, Path out) throws Exception {
        JarProcess run = ShippedJar.start(cwd, java.util.Map.of(), java.util.List.of("-Xmx512m", "-Duser.home=" + home),
                "colorize", "--server", base.toString(), "-m", "tiny", "--json", in.toString(), "-o", out.toString());
        assertThat(run.awaitExit(RUN)).as(run.describe()).isZero();
        return JSON.readTree(run.stdout());
    }

    /** {@code colorize --server} as its own process, with the tiny model; its JSON summary. */
    private JsonNode colorize(Path in, Path out) throws Exception {
        JarProcess run = ShippedJar.run(dir.resolve("client"), RUN, "colorize", "-c", clientConfig.toString(), "--server",
                base.toString(), "-m", "tiny", "--json", in.toString(), "-o", out.toString());
        assertThat(run.awaitExit(Duration.ofSeconds(1))).as(run.describe()).isZero();
        return JSON.readTree(run.stdout());
    }

    /** A small grey photo, different for each {@code seed}. */
    private static void photo(Path file, int seed) throws Exception {
        BufferedImage image = new BufferedImage(48, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                int v = (x * 5 + y * 3 * seed + seed * 40) & 0xff;
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** JSON-RPC over the process's stdin and stdout, one message a line, as an agent's host speaks it. */
    private static final class Mcp {
        private final JarProcess process;
        private int nextId = 1;

        Mcp(JarProcess process) {
            this.process = process;
        }

        JsonNode call(String method, JsonNode params) throws Exception {
            int id = nextId++;
            ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            request.set("params", params);
            process.send(request.toString());
            String answer = process.awaitOutput("(?m)^\\{\"jsonrpc\":\"2.0\",\"id\":" + id + ",.*$", RUN).group();
            JsonNode message = JSON.readTree(answer);
            assertThat(message.has("result")).as(answer).isTrue();
            return message.get("result");
        }

        JsonNode colorizeFiles(Path paths, Path output) throws Exception {
            ObjectNode params = JSON.createObjectNode().put("name", "colorize_files");
            params.putObject("arguments").put("output", output.toString()).putArray("paths").add(paths.toString());
            JsonNode result = call("tools/call", params);
            assertThat(result.get("isError").asBoolean()).as(result.toString()).isFalse();
            return result.get("structuredContent");
        }
    }
}
