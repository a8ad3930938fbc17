package org.chroma402.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.client.Chroma402Client;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.model.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code chroma402 colorize}: colorizes files and folders, either locally with no payment
 * ({@code --local}, what an operator uses to check a model) or through a paid Chroma402 server.
 */
@Command(name = "colorize", mixinStandardHelpOptions = true,
        description = "Colorize photos: --local runs the model here with no payment; --server pays a Chroma402 server.")
public final class ColorizeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "IN", arity = "1..*", description = "Image files or folders of images.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Output file (one input) or folder (a path ending in /, an existing folder, or for folder inputs).")
    String output;

    @Option(names = "--local", description = "Run the model on this machine, without payment.")
    boolean local;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "large, tiny or a path to an .onnx file (default: ${DEFAULT-VALUE}).")
    String model = "large";

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "png or jpeg (default: ${DEFAULT-VALUE}).")
    String format = "png";

    @Option(names = "--saturation", paramLabel = "S",
            description = "Colour strength, 0 (grey) to 2 with at most two decimals (default: 1, the model's own colours).")
    String saturation;

    @Option(names = "--precision", paramLabel = "P", description = "With --local: fp32 (exact) or int8 (faster, quantized on first use).")
    String precision;
    @Option(names = "--server", paramLabel = "URL", converter = ServerAddress.class,
            description = "Chroma402 server to buy colorizations from (a URL, or host:port for http://).")
    URI server;

    @Option(names = "--max-price", paramLabel = "SATS", description = "Most to pay for one image (default: ${DEFAULT-VALUE}).")
    long maxPriceSat = 100;

    @Option(names = "--budget", paramLabel = "SATS", description = "Most to pay in all for this run (default: no limit).")
    Long budgetSat;

    @Option(names = "--dry-run", description = "With --server: show each photo's price and invoice; pay nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "With --server: print one JSON summary (per file: status, sats, detail).")
    boolean json;

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
        BigDecimal strength = null;
        if (saturation != null) {
            try {
                strength = Chroma402Client.saturation(saturation);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        List<Path> files;
        try {
            files = ColorizeTargets.collect(inputs);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (files.isEmpty()) {
            err.println("error: no images found in " + inputs);
            return ExitCodes.USAGE;
        }
        ColorizeTargets targets = new ColorizeTargets(output, inputs.stream().anyMatch(Files::isDirectory));
        if (files.size() > 1 && !targets.outputIsFolder()) {
            err.println("error: several inputs need an output folder: give -o " + output + "/");
            return ExitCodes.USAGE;
        }
        if (output != null && targets.outputIsFolder() && Files.isRegularFile(Path.of(output))) {
            err.println("error: " + output + " is a file, not a folder");
            return ExitCodes.USAGE;
        }
        if (local == (server != null)) {
            err.println("error: give either --local (run the model here, no payment) or --server URL (buy from a server)");
            return ExitCodes.USAGE;
        }
        if (server == null && (dryRun || json)) {
            err.println("error: --dry-run and --json are for buying from a --server");
            return ExitCodes.USAGE;
        }
        if (server != null) {
            if (outputFormat != OutputFormat.PNG) {
                err.println("error: servers return PNG; --format is for --local");
                return ExitCodes.USAGE;
            }
            return new PaidColorizing(options.settings(), server, model, strength, maxPriceSat, budgetSat, parallel, dryRun, json,
                    spec.commandLine().getOut(), err).run(files, targets);
        }
        Chroma402Config config = options.config();
        if (precision != null) {
            try {
                config = config.withPrecision(Precision.parse(precision));
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        return new LocalColorizing(config, model, strength == null ? 1f : strength.floatValue(),
                spec.commandLine().getOut(), err).run(files, outputFormat, targets);
    }
}
