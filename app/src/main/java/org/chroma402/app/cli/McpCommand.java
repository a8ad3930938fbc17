package org.chroma402.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.app.LightningBackends;
import org.chroma402.client.Budget;
import org.chroma402.client.Chroma402Client;
import org.chroma402.client.ClientOptions;
import org.chroma402.client.FolderColorizer;
import org.chroma402.client.Receipts;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.server.mcp.McpServer;
import org.chroma402.server.mcp.McpTool;
import org.chroma402.server.mcp.ToolResult;
import org.chroma402.server.mcp.ToolSchema;
import org.chroma402.server.metrics.BuildInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code chroma402 mcp}: an MCP server on stdin/stdout for an agent on this machine. Its tools buy
 * colorizations of local files and folders from a Chroma402 server, paying with the configured
 * wallet within {@code --max-price} per image and a {@code --budget} for the whole session, with
 * the CLI's receipts (a paid request is never paid again), and report what the session spent.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Serve MCP tools on stdin/stdout that buy colorizations of local photos from a server, for AI agents.")
public final class McpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Option(names = "--server", paramLabel = "URL", converter = ServerAddress.class, required = true,
            description = "Chroma402 server to buy from (a URL, or host:port for http://).")
    URI server;

    @Option(names = "--max-price", paramLabel = "SATS", description = "Most to pay for one image (default: ${DEFAULT-VALUE}).")
    long maxPriceSat = 100;

    @Option(names = "--budget", paramLabel = "SATS", description = "Most to pay in all while this server runs (default: no limit).")
    Long budgetSat;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Default model_size (default: ${DEFAULT-VALUE}).")
    String model = "large";

    @Option(names = {"-j", "--parallel"}, paramLabel = "N", description = "Images bought at once (default: ${DEFAULT-VALUE}).")
    int parallel = 2;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (parallel < 1 || maxPriceSat < 0 || (budgetSat != null && budgetSat < 0)) {
            err.println("error: --parallel is at least 1, and prices and budgets are not negative");
            return ExitCodes.USAGE;
        }
        PaymentBackend wallet = LightningBackends.wallet(options.settings(), server, Clock.systemUTC());
        try {
            Session session = new Session(new Chroma402Client(server, wallet, ClientOptions.DEFAULTS.withMaxPriceSat(maxPriceSat),
                    Receipts.open(ClientReceipts.file(options.settings())), Clock.systemUTC()),
                    budgetSat == null ? Budget.unlimited() : Budget.of(budgetSat));
            McpServer<Void> mcp = new McpServer<>("chroma402-client", BuildInfo.of(McpCommand.class).version(), """
                    Colorizes black-and-white photos on this machine by buying them from the Chroma402 server at %s,
                    paying over Lightning with the user's wallet: at most %d sats per photo and %s in this session.
                    Use colorize_files with file or folder paths; spend_report says what was spent.""".formatted(
                    server, maxPriceSat, budgetSat == null ? "no session limit" : budgetSat + " sats"),
                    List.of(new ColorizeFiles(session), new SpendReport(session), new ListModels(server)));
            serve(mcp, spec.commandLine().getOut(), err);
            return ExitCodes.OK;
        } finally {
            if (wallet instanceof AutoCloseable connections) {
                connections.close();
            }
        }
    }

    /** The stdio transport: one JSON-RPC message per line in, one answer per line out. */
    static void serve(McpServer<Void> mcp, PrintWriter out, PrintWriter err) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode message;
            try {
                message = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                write(out, McpServer.parseError());
                continue;
            }
            Optional<ObjectNode> answer = mcp.handle(message, null);
            if (answer.isPresent()) {
                write(out, answer.get());
            }
        }
    }

    private static void write(PrintWriter out, ObjectNode message) {
        // One line per message: the compact form, never the pretty one.
        out.println(message.toString());
        out.flush();
    }

    /** What the tools share for the life of the process: the client, its receipts, and the session budget. */
    private record Session(Chroma402Client client, Budget budget, AtomicInteger calls) {
        Session(Chroma402Client client, Budget budget) {
            this(client, budget, new AtomicInteger());
        }
    }

    private static ObjectNode error(String message, String suggestion) {
        ObjectNode e = Json.object();
        e.put("error", message);
        e.put("suggestion", suggestion);
        return e;
    }

    private final class ColorizeFiles implements McpTool<Void> {
        private final Session session;

        ColorizeFiles(Session session) {
            this.session = session;
        }

        @Override
        public String name() {
            return "colorize_files";
        }

        @Override
        public String description() {
            return "Colorizes local black-and-white photos (files, or folders of them) by buying each from the server, "
                    + "within the per-photo and session limits. Outputs are PNG files named <name>-color.png beside the "
                    + "inputs, or in the output folder; photos already colorized or already paid for cost nothing.";
        }

        @Override
        public ObjectNode inputSchema() {
            ObjectNode s = ToolSchema.object();
            ToolSchema.property(s, "paths", "array", "files or folders of photos on this machine")
                    .putObject("items").put("type", "string");
            ToolSchema.property(s, "output", "string", "a folder for the colorized files (default: beside each input)");
            ToolSchema.property(s, "model_size", "string", "large or tiny (default: " + model + ")");
            ToolSchema.property(s, "saturation", "number",
                    "colour strength, 0 (grey) to 2 with at most two decimals (default 1: the model's own colours)")
                    .put("minimum", 0).put("maximum", 2);
            s.putArray("required").add("paths");
            return s;
        }

        @Override
        public ToolResult call(JsonNode args, Void caller) throws Exception {
            session.calls().incrementAndGet();
            JsonNode paths = args.path("paths");
            if (!paths.isArray() || paths.isEmpty()) {
                return ToolResult.error(error("paths must be a list of files or folders", "pass {\"paths\": [\"photo.jpg\"]}"));
            }
            List<Path> inputs = new ArrayList<>();
            paths.forEach(p -> inputs.add(Path.of(p.asText())));
            List<Path> files;
            try {
                files = ColorizeTargets.collect(inputs);
            } catch (IOException e) {
                return ToolResult.error(error(e.getMessage(), "pass paths of existing image files or folders"));
            }
            if (files.isEmpty()) {
                return ToolResult.error(error("no images found in " + inputs, "pass JPEG, PNG, WebP, BMP, GIF or TIFF files"));
            }
            String output = args.hasNonNull("output") ? args.get("output").asText() : null;
            ColorizeTargets targets = new ColorizeTargets(output == null || output.endsWith("/") ? output : output + "/",
                    inputs.stream().anyMatch(Files::isDirectory));
            List<FolderColorizer.Item> items = files.stream()
                    .map(in -> new FolderColorizer.Item(in, targets.target(in, files.size(), OutputFormat.PNG))).toList();
            String size = args.path("model_size").asText(model);
            BigDecimal saturation = null;
            if (args.hasNonNull("saturation")) {
                try {
                    // As text, so 1.2 stays 1.2 and 1.234 is refused rather than rounded.
                    saturation = Chroma402Client.saturation(args.get("saturation").asText());
                } catch (IllegalArgumentException e) {
                    return ToolResult.error(error(e.getMessage(), "pass a number such as 0.5 or 1.25, or leave saturation out"));
                }
            }
            long spentBefore = session.budget().spentSat();
            List<FolderColorizer.Outcome> outcomes = new FolderColorizer(session.client(), size, saturation, parallel)
                    .run(items, session.budget(), (done, total, outcome) -> { });
            ObjectNode out = new PurchaseReport(outcomes, session.budget().spentSat() - spentBefore).json();
            spend(out, session);
            return ToolResult.of(out);
        }
    }

    private void spend(ObjectNode out, Session session) {
        out.put("session_spent_sats", session.budget().spentSat());
        if (budgetSat == null) {
            out.putNull("session_budget_sats");
            out.putNull("session_budget_left_sats");
        } else {
            out.put("session_budget_sats", budgetSat);
            out.put("session_budget_left_sats", Math.max(0, budgetSat - session.budget().spentSat()));
        }
        out.put("max_price_sats", maxPriceSat);
    }

    private final class SpendReport implements McpTool<Void> {
        private final Session session;

        SpendReport(Session session) {
            this.session = session;
        }

        @Override
        public String name() {
            return "spend_report";
        }

        @Override
        public String description() {
            return "What this session has spent, what its budget has left, and the per-photo limit.";
        }

        @Override
        public ObjectNode inputSchema() {
            return ToolSchema.object();
        }

        @Override
        public ToolResult call(JsonNode args, Void caller) {
            ObjectNode out = Json.object();
            out.put("server", server.toString());
            spend(out, session);
            out.put("colorize_calls", session.calls().get());
            return ToolResult.of(out);
        }
    }

    /** The server's models and prices, so an agent can say what a photo will cost before buying. */
    private record ListModels(URI server) implements McpTool<Void> {
        @Override
        public String name() {
            return "list_models";
        }

        @Override
        public String description() {
            return "The server's colorization models, with their price in sats per photo.";
        }

        @Override
        public ObjectNode inputSchema() {
            return ToolSchema.object();
        }

        @Override
        public ToolResult call(JsonNode args, Void caller) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.toString().replaceAll("/+$", "") + "/api/l402/models"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 200 || !body.isObject()) {
                return ToolResult.error(error("the server answered " + response.statusCode(), "check --server"));
            }
            ObjectNode out = Json.object();
            out.set("models", body.path("models").isArray() ? body.get("models") : Json.MAPPER.createArrayNode());
            out.put("currency", "sat");
            return ToolResult.of(out);
        }
    }
}
