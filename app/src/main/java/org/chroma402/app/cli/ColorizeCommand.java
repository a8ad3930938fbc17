package org.chroma402.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.net.URI;
import java.time.Clock;
import org.chroma402.app.Assembly;
import org.chroma402.app.LightningBackends;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.Settings;
import org.chroma402.client.Budget;
import org.chroma402.client.Chroma402Client;
import org.chroma402.client.ClientOptions;
import org.chroma402.client.FolderColorizer;
import org.chroma402.client.Receipts;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.ColorizedPhoto;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chroma402 colorize}: colorizes files and folders, either locally with no payment
 * ({@code --local}, what an operator uses to check a model) or through a paid Chroma402 server.
 */
@Command(name = "colorize", mixinStandardHelpOptions = true,
        description = "Colorize photos: --local runs the model here with no payment; --server pays a Chroma402 server.")
public final class ColorizeCommand implements Callable<Integer> {
    static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "IN", arity = "1..*", description = "Image files or folders of images.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file (one input) or folder.")
    Path output;

    @Option(names = "--local", description = "Run the model on this machine, without payment.")
    boolean local;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "large, tiny or a path to an .onnx file (default: ${DEFAULT-VALUE}).")
    String model = "large";

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "png or jpeg (default: ${DEFAULT-VALUE}).")
    String format = "png";

    @Option(names = "--server", paramLabel = "URL", description = "Chroma402 server to buy colorizations from.")
    URI server;

    @Option(names = "--max-price", paramLabel = "SATS", description = "Most to pay for one image (default: ${DEFAULT-VALUE}).")
    long maxPriceSat = 100;

    @Option(names = "--budget", paramLabel = "SATS", description = "Most to pay in all for this run (default: no limit).")
    Long budgetSat;

    @Option(names = {"-j", "--parallel"}, paramLabel = "N", description = "Images bought at once (default: ${DEFAULT-VALUE}).")
    int parallel = 2;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        OutputFormat outputFormat;
        try {
            outputFormat = OutputFormat.parse(format);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        List<Path> files;
        try {
            files = collect(inputs);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (files.isEmpty()) {
            err.println("error: no images found in " + inputs);
            return ExitCodes.USAGE;
        }
        if (files.size() > 1 && output != null && Files.isRegularFile(output)) {
            err.println("error: several inputs need an output folder, and " + output + " is a file");
            return ExitCodes.USAGE;
        }
        if (local == (server != null)) {
            err.println("error: give either --local (run the model here, no payment) or --server URL (buy from a server)");
            return ExitCodes.USAGE;
        }
        if (server != null) {
            if (outputFormat != OutputFormat.PNG) {
                err.println("error: servers return PNG; --format is for --local");
                return ExitCodes.USAGE;
            }
            return buy(files, err);
        }
        Chroma402Config config = options.config();
        ProgressBar bar = new ProgressBar(err, "colorizing");
        int failed = 0;
        try (ColorizationEngine engine = Assembly.engine(config, model)) {
            ColorizationPipeline pipeline = Assembly.pipeline(config, engine);
            for (int i = 0; i < files.size(); i++) {
                Path in = files.get(i);
                Path out = target(in, files.size(), outputFormat);
                if (files.size() > 1) {
                    bar.items(i, files.size(), in.getFileName().toString());
                }
                try {
                    ColorizedPhoto photo = pipeline.colorize(Files.readAllBytes(in), outputFormat);
                    if (out.getParent() != null) {
                        Files.createDirectories(out.getParent());
                    }
                    Files.write(out, photo.bytes());
                    if (files.size() == 1) {
                        spec.commandLine().getOut().println(out);
                    }
                } catch (ImageException e) {
                    failed++;
                    err.println((files.size() > 1 ? "\n" : "") + in + ": " + e.getMessage());
                }
            }
            if (files.size() > 1) {
                bar.items(files.size(), files.size(), "done");
                spec.commandLine().getOut().printf(Locale.ROOT, "%d colorized, %d failed%n", files.size() - failed, failed);
            }
        } catch (ColorizationException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        return failed == 0 ? ExitCodes.OK : (failed == files.size() ? ExitCodes.USAGE : ExitCodes.FAILURE);
    }

    /** Buys the colorizations from {@code --server}, paying with the configured wallet. */
    private int buy(List<Path> files, PrintWriter err) throws Exception {
        if (parallel < 1 || maxPriceSat < 0 || (budgetSat != null && budgetSat < 0)) {
            err.println("error: --parallel is at least 1, and prices and budgets are not negative");
            return ExitCodes.USAGE;
        }
        Settings settings = options.settings();
        PaymentBackend wallet = LightningBackends.wallet(settings, server, Clock.systemUTC());
        try {
            return buy(files, wallet, settings, err);
        } finally {
            if (wallet instanceof AutoCloseable connections) {
                connections.close();
            }
        }
    }

    private int buy(List<Path> files, PaymentBackend wallet, Settings settings, PrintWriter err) throws InterruptedException {
        Path receiptsFile = Chroma402Config.from(settings).dataDir().resolve("client-receipts.jsonl");
        Chroma402Client client = new Chroma402Client(server, wallet, ClientOptions.DEFAULTS.withMaxPriceSat(maxPriceSat),
                Receipts.open(receiptsFile), Clock.systemUTC());
        List<FolderColorizer.Item> items = files.stream()
                .map(in -> new FolderColorizer.Item(in, target(in, files.size(), OutputFormat.PNG))).toList();
        ProgressBar bar = new ProgressBar(err, "colorizing");
        List<FolderColorizer.Outcome> outcomes = new FolderColorizer(client, model, parallel).run(items,
                budgetSat == null ? Budget.unlimited() : Budget.of(budgetSat), (done, total, outcome) -> {
                    if (outcome.status() == FolderColorizer.Status.FAILED || outcome.status() == FolderColorizer.Status.OVER_BUDGET) {
                        err.println((total > 1 ? "\n" : "") + outcome.item().input() + ": " + outcome.detail());
                    }
                    if (total > 1) {
                        bar.items(done, total, outcome.item().input().getFileName().toString());
                    }
                });
        long paid = outcomes.stream().mapToLong(FolderColorizer.Outcome::paidSat).sum();
        long ok = outcomes.stream().filter(o -> o.status() == FolderColorizer.Status.COLORIZED
                || o.status() == FolderColorizer.Status.ALREADY_DONE).count();
        if (files.size() == 1 && ok == 1) {
            spec.commandLine().getOut().println(items.get(0).output());
        } else if (files.size() > 1) {
            spec.commandLine().getOut().printf(Locale.ROOT, "%d colorized, %d failed, %d sats paid%n", ok, files.size() - ok, paid);
        }
        return ok == files.size() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private Path target(Path in, int count, OutputFormat format) {
        String name = stem(in) + "-color." + format.extension();
        if (output == null) {
            return in.resolveSibling(name);
        }
        if (count == 1 && !Files.isDirectory(output)) {
            return output;
        }
        return output.resolve(name);
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static List<Path> collect(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> children = Files.list(in)) {
                    children.filter(Files::isRegularFile)
                            .filter(p -> IMAGE_EXTENSIONS.contains(extension(p)))
                            .filter(p -> !stem(p).endsWith("-color"))
                            .sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new IOException(in + " does not exist");
            }
        }
        return files;
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
