package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.testing.RepositoryFiles;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.lightning.testing.sim.NwcWalletSimulator;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code chroma402} commands as a user runs them: exit codes, output and files. */
class CommandLineTest {
    /** From BOLT 11: "Please send $3 for a cup of coffee to the same peer, within one minute". */
    private static final String SPEC_INVOICE = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygsp"
            + "p5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx"
            + "85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    @TempDir
    Path dir;
    private Path config;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void writeConfig() throws Exception {
        Path model = TestResources.tinyModel();
        config = dir.resolve("chroma402.yaml");
        Files.writeString(config, """
                data-dir: %s
                models:
                  dir: %s
                  large:
                    file: %s
                """.formatted(dir.resolve("data"), model.getParent(), model.getFileName()));
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("serve", "colorize", "pay", "models", "bench");
        assertThat(run("--version").out()).startsWith("chroma402 ").contains("(commit ");
        assertThat(run("no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void noCommandPrintsUsageAndExits2() {
        Run none = run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Usage: chroma402").contains("serve");
    }

    @Test
    void mistypedOptionsAndCommandsGetASuggestion() {
        Run option = run("serve", "--prot", "9000");
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err()).contains("did you mean '--port'?").doesNotContain("'-c'");
        Run command = run("colourise");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err()).contains("did you mean 'colorize'?");
    }

    @Test
    void keysListPrintsKeysAndNoLogLines() throws Exception {
        // A child JVM with the production logging configuration, as an operator would run it.
        Process keys = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "org.chroma402.app.Main", "keys", "rotate", "--data-dir",
                dir.resolve("keys").toString()).redirectErrorStream(true).start();
        String output = new String(keys.getInputStream().readAllBytes());
        assertThat(keys.waitFor()).isZero();
        assertThat(output).startsWith("new current key ").doesNotContain("INFO").doesNotContain("WARN");
    }

    @Test
    void decodesAnInvoiceAndRefusesGarbage() throws Exception {
        Run ok = run("invoice", "decode", "lightning:" + SPEC_INVOICE);
        assertThat(ok.exit()).isZero();
        assertThat(ok.json().get("amount_msat").asLong()).isEqualTo(250_000_000L);
        assertThat(ok.json().get("description").asText()).isEqualTo("1 cup coffee");
        Run bad = run("invoice", "decode", SPEC_INVOICE.substring(0, SPEC_INVOICE.length() - 1) + "q");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error:");
    }

    @Test
    void decodesAToken() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            var challenge = org.chroma402.server.testing.ApiClient.challenge(new org.chroma402.server.testing.ApiClient(
                    server.base).post("/api/l402/colorize-image", org.chroma402.server.testing.ApiClient.body(
                    TestResources.bytes("fixtures/inputs/buffalo.png"), "large")));
            Run ok = run("token", "decode", challenge.macaroonBase64());
            assertThat(ok.exit()).isZero();
            assertThat(ok.json().at("/identifier/payment_hash").asText()).hasSize(64);
            assertThat(ok.json().get("caveats").toString()).contains("services=colorize:0");
        }
        assertThat(run("token", "decode", "AgEEbHNhdAJC").exit()).isEqualTo(2);
    }

    @Test
    void colorizesLocallyWithClearErrorsForBadFiles() throws Exception {
        Path photo = dir.resolve("photo.png");
        Files.write(photo, TestResources.bytes("fixtures/inputs/buffalo.png"));
        Run ok = run("colorize", "-c", config.toString(), "--local", photo.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        Path out = dir.resolve("photo-color.png");
        assertThat(ok.out().strip()).isEqualTo(out.toString());
        assertThat(new ImageDecoder(ImageLimits.DEFAULTS).decode(Files.readAllBytes(out)).width()).isEqualTo(120);

        Path broken = dir.resolve("broken.jpg");
        Files.writeString(broken, "not a jpeg");
        Run bad = run("colorize", "-c", config.toString(), "--local", broken.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("broken.jpg");
        assertThat(run("colorize", "-c", config.toString(), photo.toString()).err()).contains("--local", "--server");
        assertThat(run("colorize", "-c", config.toString(), "--local", dir.resolve("missing.png").toString()).exit())
                .isEqualTo(2);
    }

    @Test
    void buysAFolderFromAServer() throws Exception {
        Path in = Files.createDirectories(dir.resolve("album"));
        Files.write(in.resolve("a.png"), TestResources.bytes("fixtures/inputs/buffalo.png"));
        Files.write(in.resolve("b.png"), TestResources.bytes("fixtures/inputs/keller.png"));
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Run stingy = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "--max-price", "1",
                    in.resolve("a.png").toString());
            assertThat(stingy.exit()).as("not bought, by the user's limit: not a failure").isEqualTo(3);
            assertThat(stingy.err()).contains("above your limit of 1");
            Run stingyFolder = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "--max-price", "1",
                    "-o", dir.resolve("colored").toString(), in.toString());
            assertThat(stingyFolder.exit()).isEqualTo(3);
            assertThat(stingyFolder.out()).contains("0 colorized, 0 skipped (already there), 0 not bought (over budget), "
                    + "2 not bought (above --max-price), 0 failed; 0 sats paid");

            Run ok = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "-o",
                    dir.resolve("colored").toString(), in.toString());
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("2 colorized, 0 skipped (already there), 0 not bought (over budget), 0 failed; "
                    + "10 sats paid");
            assertThat(dir.resolve("colored/a-color.png")).isRegularFile();
            assertThat(dir.resolve("colored/b-color.png")).isRegularFile();
            // The photos are the user's files: the umask decides (not owner-only, like the receipts).
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("colored/a-color.png")))).isNotEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("data/client-receipts.jsonl")))).isEqualTo("rw-------");

            Run again = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "-o",
                    dir.resolve("colored").toString(), in.toString());
            assertThat(again.exit()).isZero();
            assertThat(again.out()).as("nothing is bought twice")
                    .contains("0 colorized, 2 skipped (already there), 0 not bought (over budget), 0 failed; 0 sats paid");

            Files.delete(dir.resolve("colored/a-color.png"));
            Run restored = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "-o",
                    dir.resolve("colored").toString(), in.toString());
            assertThat(restored.out()).as("a deleted output is replayed from its receipt, not bought again")
                    .contains("1 colorized, 1 skipped (already there), 0 not bought (over budget), 0 failed; 0 sats paid");
            assertThat(dir.resolve("colored/a-color.png")).isRegularFile();

            Files.write(in.resolve("c.png"), TestResources.bytes("fixtures/inputs/detroit.png"));
            Files.write(in.resolve("d.png"), TestResources.bytes("fixtures/inputs/nipomo.png"));
            Run budget = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "-o",
                    dir.resolve("colored").toString(), "--budget", "7", "-j", "1", in.toString());
            assertThat(budget.exit()).as(budget.err()).isEqualTo(3);
            assertThat(budget.out()).contains("1 colorized, 2 skipped (already there), 1 not bought (over budget), 0 failed");
            assertThat(budget.err()).contains("budget ran out");
        }
    }

    @Test
    void benchComparesInt8WithFp32AndJudgesTheColoursOnSeveralPhotos() throws Exception {
        Path own = Files.createDirectories(dir.resolve("own-models"));
        Path model = Files.copy(TestResources.tinyModel(), own.resolve("m.onnx"));
        Run bench = run("bench", "-c", config.toString(), "-m", model.toString(), "--precision", "int8", "--size", "96x64", "-n", "1",
                "--warmup", "0", "--judge-on", RepositoryFiles.realPhoto("keller-chaplin-1919.jpg").toString(),
                RepositoryFiles.realPhoto("detroit-1915.jpg").toString());
        assertThat(bench.exit()).as(bench.err()).isZero();
        assertThat(bench.out()).containsPattern("int8 +model run median [\\d.]+ ms against fp32 [\\d.]+ ms = [\\d.]+ x faster")
                .containsPattern("CIEDE2000 mean [\\d.]+, p95 [\\d.]+, max [\\d.]+ over \\d+ pixels of 3 photos");
        assertThat(own.resolve("m.int8.onnx")).exists();
    }

    @Test
    void benchHttpMeasuresARunningServerGivenItsUrl() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"), TestServer.Options.defaults().withRate(10_000_000, 1_000_000))) {
            Run bench = run("bench", "http", "-c", config.toString(), "--url", server.base.toString(), "--seconds", "0.3",
                    "--concurrency", "2", "--redeems", "5", "-n", "1", "--size", "96x64");
            assertThat(bench.exit()).as(bench.err()).isZero();
            assertThat(bench.out()).contains("target     " + server.base + " (running already)", "x baseline", "end-to-end large");
            // The split covers the measured challenges and not the warm-up before them.
            java.util.regex.Matcher figures = java.util.regex.Pattern.compile(
                    "x baseline \\((\\d+) calls\\)\\R\\s+split, mean over (\\d+) challenges:").matcher(bench.out());
            int sizes = 0;
            while (figures.find()) {
                assertThat(figures.group(2)).as("challenges in the split").isEqualTo(figures.group(1));
                sizes++;
            }
            assertThat(sizes).as("a split for the 50 KB and the 1-MP photo").isEqualTo(2);
        }
    }

    @Test
    void tritonRepoWritesAModelRepositoryForTheInstalledModels() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.copy(TestResources.tinyDynamicModel(), models.resolve("ddcolor_tiny.onnx"));
        Files.copy(TestResources.tinyModel(), models.resolve("ddcolor_large.onnx"));
        Path repo = dir.resolve("repo");
        Run run = run("models", "triton-repo", repo.toString(), "--data-dir", dir.toString(), "--kind", "cpu");
        assertThat(run.exit()).as(run.err()).isZero();
        String tiny = Files.readString(repo.resolve("tiny/config.pbtxt"));
        assertThat(tiny).contains("name: \"tiny\"", "backend: \"onnxruntime\"", "max_batch_size: 8",
                "dims: [ 3, 64, 64 ]", "dims: [ 2, 64, 64 ]", "kind: KIND_CPU", "dynamic_batching");
        String large = Files.readString(repo.resolve("large/config.pbtxt"));
        assertThat(large).contains("max_batch_size: 0", "dims: [ 1, 3, 64, 64 ]").doesNotContain("dynamic_batching");
        assertThat(repo.resolve("tiny/1/model.onnx")).hasSameBinaryContentAs(models.resolve("ddcolor_tiny.onnx"));
        assertThat(run("models", "triton-repo", dir.resolve("r2").toString(), "--data-dir", dir.resolve("empty").toString())
                .exit()).isEqualTo(1);
    }

    @Test
    void dryRunShowsEachPriceAndInvoiceAndPaysNothing() throws Exception {
        Path in = Files.createDirectories(dir.resolve("album"));
        Files.write(in.resolve("a.png"), TestResources.bytes("fixtures/inputs/buffalo.png"));
        Files.write(in.resolve("b.png"), TestResources.bytes("fixtures/inputs/keller.png"));
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Run dry = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "--dry-run",
                    "-m", "tiny", "-o", dir.resolve("colored").toString(), in.toString());
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("a.png: 3 sats; invoice lnbcrt", "would pay 6 sats in all; nothing was paid");
            assertThat(dir.resolve("colored")).doesNotExist();

            Run json = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "--dry-run", "--json",
                    "-m", "tiny", "-o", dir.resolve("colored").toString(), in.toString());
            JsonNode quoted = json.json();
            assertThat(quoted.get("dry_run").asBoolean()).isTrue();
            assertThat(quoted.get("total_sats").asInt()).isEqualTo(6);
            assertThat(quoted.get("paid_sats").asInt()).isZero();
            assertThat(quoted.get("files").get(0).get("status").asText()).isEqualTo("quoted");
            assertThat(quoted.get("files").get(0).get("invoice").asText()).startsWith("lnbcrt");
            // Nothing was paid: the node holds the quoted invoices unpaid.
            for (JsonNode f : quoted.get("files")) {
                assertThat(server.devNode.lookupInvoice(org.chroma402.l402.PaymentHash.fromHex(f.get("payment_hash").asText())))
                        .isNotInstanceOf(org.chroma402.lightning.InvoiceState.Paid.class);
            }

            // Above --max-price: not in the total, and not a success (as the real run would end).
            Run capped = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "--dry-run",
                    "--max-price", "1", "-m", "tiny", "-o", dir.resolve("colored").toString(), in.toString());
            assertThat(capped.exit()).as(capped.err()).isEqualTo(3);
            assertThat(capped.out()).contains("would pay 0 sats in all", "2 above --max-price would not be bought");
        }
    }

    @Test
    void jsonSummarisesEveryFileHonestly() throws Exception {
        Path in = Files.createDirectories(dir.resolve("album"));
        Files.write(in.resolve("a.png"), TestResources.bytes("fixtures/inputs/buffalo.png"));
        Files.write(in.resolve("b.png"), TestResources.bytes("fixtures/inputs/keller.png"));
        Files.writeString(in.resolve("c.png"), "not a photo");
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Path out = dir.resolve("colored");
            Files.createDirectories(out);
            Files.write(out.resolve("b-color.png"), TestResources.bytes("fixtures/inputs/keller.png"));
            Run run = run("colorize", "-c", config.toString(), "--server", server.base.toString(), "--json", "-o",
                    out.toString(), in.toString());
            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            JsonNode summary = run.json();
            assertThat(summary.get("colorized").asInt()).isEqualTo(1);
            assertThat(summary.get("skipped").asInt()).isEqualTo(1);
            assertThat(summary.get("failed").asInt()).isEqualTo(1);
            assertThat(summary.get("paid_sats").asInt()).isEqualTo(5);
            assertThat(summary.get("exit_code").asInt()).isEqualTo(1);
            java.util.Map<String, String> status = new java.util.HashMap<>();
            summary.get("files").forEach(f -> status.put(Path.of(f.get("input").asText()).getFileName().toString(),
                    f.get("status").asText()));
            assertThat(status).containsEntry("a.png", "colorized").containsEntry("b.png", "skipped")
                    .containsEntry("c.png", "failed");
            assertThat(run("colorize", "-c", config.toString(), "--local", "--json", in.resolve("a.png").toString()).exit())
                    .isEqualTo(2);
        }
    }

    @Test
    void aFolderWithOnePhotoAndATrailingSlashWritesIntoAFolder() throws Exception {
        Path in = Files.createDirectories(dir.resolve("one"));
        Files.write(in.resolve("a.png"), TestResources.bytes("fixtures/inputs/buffalo.png"));
        Run local = run("colorize", "-c", config.toString(), "--local", in.toString(), "-o", dir.resolve("out") + "/");
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(dir.resolve("out")).isDirectory();
        assertThat(dir.resolve("out/a-color.png")).isRegularFile();
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Run paid = run("colorize", "-c", config.toString(), "--server", server.base.toString(), in.toString(), "-o",
                    dir.resolve("bought").toString());
            assertThat(paid.exit()).as(paid.err()).isZero();
            assertThat(dir.resolve("bought/a-color.png")).as("a folder input means a folder output").isRegularFile();
        }
    }

    @Test
    void aServerGivenAsHostAndPortIsReachedOverHttp() throws Exception {
        Path photo = Files.write(dir.resolve("p.png"), TestResources.bytes("fixtures/inputs/buffalo.png"));
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Run paid = run("colorize", "-c", config.toString(), "--server", "127.0.0.1:" + server.base.getPort(),
                    "--json", photo.toString());
            assertThat(paid.exit()).as(paid.err()).isZero();
            assertThat(paid.json().get("server").asText()).isEqualTo("http://127.0.0.1:" + server.base.getPort());
        }
        Run ftp = run("colorize", "-c", config.toString(), "--server", "ftp://127.0.0.1:21", photo.toString());
        assertThat(ftp.exit()).isEqualTo(2);
        assertThat(ftp.err()).contains("http:// or https://").doesNotContain("Exception");
        Run junk = run("colorize", "-c", config.toString(), "--server", "127.0.0.1:84 02", photo.toString());
        assertThat(junk.exit()).isEqualTo(2);
        assertThat(junk.err()).contains("is not a server address", "host:port").doesNotContain("URISyntaxException");
    }

    @Test
    void payingThroughADevelopmentServerThatIsNotThereSaysWhatFailed() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run given = run("pay", "-c", config.toString(), "--server", "127.0.0.1:" + port, SPEC_INVOICE);
        assertThat(given.exit()).isEqualTo(1);
        assertThat(given.err()).contains("cannot reach http://127.0.0.1:" + port, "connection refused")
                .doesNotContain("null").doesNotContain("--server URL");

        boolean defaultPortTaken;
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", 8402), 500);
            defaultPortTaken = true;
        } catch (java.io.IOException free) {
            defaultPortTaken = false;
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(defaultPortTaken, "something listens on 8402 here");
        Run byDefault = run("pay", "-c", config.toString(), SPEC_INVOICE);
        assertThat(byDefault.exit()).isEqualTo(1);
        assertThat(byDefault.err()).contains("cannot reach http://127.0.0.1:8402", "connection refused", "--server URL")
                .doesNotContain("null");
    }

    @Test
    void aServerThatIsDownOrIsNotChroma402IsExplained() throws Exception {
        Path photo = dir.resolve("p.png");
        Files.write(photo, TestResources.bytes("fixtures/inputs/buffalo.png"));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run down = run("colorize", "-c", config.toString(), "--server", "http://127.0.0.1:" + port, photo.toString());
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("nothing answers there").doesNotContain("ConnectException");

        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<!doctype html><html><body><h1>Not Found</h1><p>nginx</p></body></html>".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try {
            Run html = run("colorize", "-c", config.toString(), "--server", "http://127.0.0.1:" + other.getAddress().getPort(),
                    photo.toString());
            assertThat(html.exit()).isEqualTo(1);
            assertThat(html.err()).contains("answered with a web page").doesNotContain("<h1>").doesNotContain("<html");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void paysWithTheConfiguredNwcWallet() throws Exception {
        try (NwcWalletSimulator wallet = NwcWalletSimulator.start(new SimulatedNode(Clock.systemUTC()),
                NwcWalletSimulator.Encryption.NIP44)) {
            SimulatedNode shop = new SimulatedNode(Clock.systemUTC());
            SimulatedNode.Invoice invoice = shop.create(21_000, "coffee", 600, null);
            Files.writeString(config, "lightning:\n  backend: nwc\n  nwc:\n    uri: \"" + wallet.connectionUri() + "\"\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Run paid = run("pay", "-c", config.toString(), invoice.bolt11);
            assertThat(paid.exit()).as(paid.err()).isZero();
            assertThat(paid.out().strip()).isEqualTo(invoice.preimage.hex());
            assertThat(shop.find(invoice.hash).orElseThrow().settled()).isTrue();
        }
    }

    @Test
    void pullsAModelFromAnHttpServerAndChecksIt() throws Exception {
        byte[] model = Files.readAllBytes(TestResources.tinyModel());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/tiny.onnx", exchange -> {
            exchange.sendResponseHeaders(200, model.length);
            exchange.getResponseBody().write(model);
            exchange.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/tiny.onnx";
            Path models = dir.resolve("pulled");
            Files.writeString(config, "data-dir: " + dir.resolve("data2") + "\nmodels:\n  dir: " + models + "\n");
            Run wrong = run("models", "pull", "-c", config.toString(), "tiny", "--url", url, "--sha256", "00".repeat(32));
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("SHA-256");
            Run ok = run("models", "pull", "-c", config.toString(), "tiny", "--url", url, "--sha256", sha);
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("sha256 " + sha);
            try (var files = Files.list(models)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ddcolor_tiny.onnx");
            }
            assertThat(run("models", "verify", "-c", config.toString(), "tiny").exit()).isZero();
        } finally {
            http.stop(0);
        }
    }

    @Test
    void configurationMistakesAreExplained() throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "server:\n  prot: 8080\n");
        Run unknown = run("models", "list", "-c", typo.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown setting 'server.prot'", "did you mean 'server.port'");

        Path lnd = dir.resolve("lnd.yaml");
        Files.writeString(lnd, "data-dir: " + dir.resolve("data3") + "\nlightning:\n  backend: lnd\n");
        Run missing = run("serve", "-c", lnd.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("lightning.lnd.url is not configured");

        Path nwc = dir.resolve("nwc.yaml");
        Files.writeString(nwc, "data-dir: " + dir.resolve("data4") + "\nlightning:\n  backend: nwc\n  nwc:\n    uri: "
                + "\"nostr+walletconnect://" + "ab".repeat(32) + "?relay=wss://r.example&secret=" + "cd".repeat(31) + "\"\n");
        Run badSecret = run("serve", "-c", nwc.toString());
        assertThat(badSecret.exit()).isEqualTo(2);
        assertThat(badSecret.err()).contains("secret").doesNotContain("cd".repeat(31));
    }
}
