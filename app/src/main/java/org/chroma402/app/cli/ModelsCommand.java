package org.chroma402.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chroma402.app.Assembly;
import org.chroma402.app.ModelProvisioner;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.RemoteInference;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.model.CheckpointInstaller;
import org.chroma402.colorize.model.ModelCatalog;
import org.chroma402.colorize.model.ModelDownloadException;
import org.chroma402.colorize.model.ModelDownloader;
import org.chroma402.colorize.model.ModelFileCheck;
import org.chroma402.colorize.model.ModelOrigin;
import org.chroma402.colorize.model.ModelPuller;
import org.chroma402.colorize.model.ModelSpec;
import org.chroma402.colorize.model.Precision;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.onnx.OnnxModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code chroma402 models list|pull|import|verify|triton-repo}: the DDColor models. */
@Command(name = "models", description = "List, download, import and verify DDColor models.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Pull.class, ModelsCommand.Import.class,
            ModelsCommand.Verify.class, ModelsCommand.TritonRepo.class},
        mixinStandardHelpOptions = true)
public final class ModelsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show each model: file, size, input size, whether it is installed and from the official weights, "
                    + "and how to install what is missing. Reads the files' records only ('models verify' loads each).")
    static final class ListModels implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            Chroma402Config config = options.config();
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-8s %-24s %10s %-16s %s%n", "NAME", "FILE", "SIZE", "INPUT", "STATUS");
            List<ModelSpec> missing = new java.util.ArrayList<>();
            for (ModelCatalog.Entry e : config.models().entries()) {
                String input = "-";
                String status;
                if (e.present()) {
                    // No ONNX Runtime session: loading every model took seconds (DDColor-L alone ~900 MB); the
                    // records and the graph's declared input say what list needs, cheaply.
                    String problem = ModelProvisioner.checkInstalled(e.file(), e.spec());
                    try {
                        input = declaredInput(e.file(), config.session().defaultInputSize());
                        status = problem != null ? "unusable: " + problem : origin(e.file());
                    } catch (IOException ex) {
                        status = "unusable: " + ex.getMessage();
                    }
                } else {
                    missing.add(e.spec());
                    status = e.spec().url() == null ? "missing ('models import " + e.spec().name() + " FILE')"
                            : "missing ('models pull " + e.spec().name() + "' or 'models import " + e.spec().name() + " FILE')";
                }
                String file = config.models().directory().relativize(e.file()).toString();
                out.printf(Locale.ROOT, "%-8s %-24s %10s %-16s %s%n", e.spec().name(), file,
                        e.present() ? ProgressBar.size(e.sizeBytes()) : "-", input, status);
            }
            out.println("models directory: " + config.models().directory().toAbsolutePath());
            if (!missing.isEmpty()) {
                out.println("to install one: 'chroma402 models pull NAME' downloads the authors' checkpoint; "
                        + "'chroma402 models import NAME FILE' installs a checkpoint or .onnx file you have");
                out.println("offline, to try it without the weights (random weights, meaningless colours; from a source checkout): "
                        + "/usr/bin/python3 tools/ddcolor/make_test_checkpoint.py --architecture tiny --seed 1 --format pth "
                        + "--output tiny-test.pth && chroma402 models import tiny tiny-test.pth");
            }
            return ExitCodes.OK;
        }

        /** The graph's declared input size: "512x512", or "dynamic (S)" with the size it runs at. */
        private static String declaredInput(Path file, int defaultSize) throws IOException {
            OnnxModel.Signature signature = OnnxModel.signature(file);
            if (signature.inputs().isEmpty()) {
                throw new IOException(file.getFileName() + " declares no input");
            }
            var shape = signature.inputs().get(0).getType().getTensorType().getShape();
            if (shape.getDimCount() != 4) {
                throw new IOException(file.getFileName() + " takes a " + shape.getDimCount() + "-D input, not DDColor's (1, 3, S, S)");
            }
            var height = shape.getDim(2);
            return height.hasDimValue() && height.getDimValue() > 0 ? height.getDimValue() + "x" + shape.getDim(3).getDimValue()
                    : "dynamic (" + defaultSize + ")";
        }

        private static String origin(Path file) throws IOException {
            ModelOrigin origin = ModelOrigin.of(file);
            if (origin.official()) {
                return "installed (official weights)";
            }
            return origin.checkpointSha256() == null ? "present (ONNX file; weights not verified as official)"
                    : "installed (NOT the official checkpoint: sha256 " + origin.checkpointSha256().substring(0, 12) + "…)";
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Download a model and install it: the authors' checkpoint (converted into the bundled DDColor "
                    + "graph after every weight is checked) or a ready ONNX file. Resumes an interrupted download, checks "
                    + "the pinned SHA-256, and installs atomically; a running server picks the model up without a restart.")
    static final class Pull implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "NAME", description = "Model name: large, tiny, artistic, paper, or one you configured.")
        String name;
        @Option(names = "--url", description = "Download from this URL instead of the configured one (a mirror).")
        URI url;
        @Option(names = "--sha256", description = "Refuse the file unless it has this SHA-256.")
        String sha256;
        @Option(names = "--timeout", description = "Per-request timeout in seconds (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds = 3600;

        @Override
        public Integer call() throws Exception {
            Chroma402Config config = options.config();
            PrintWriter err = spec.commandLine().getErr();
            ModelSpec model = known(config, name, err);
            if (model == null) {
                return ExitCodes.USAGE;
            }
            try {
                if (url != null) {
                    model = model.withSource(url);
                }
                if (sha256 != null) {
                    model = model.withSha256(sha256);
                }
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            ModelSpec pulled = model;
            return install(spec, model, progress -> Assembly.modelPuller(config, Duration.ofSeconds(timeoutSeconds)).pull(pulled, progress));
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Install a model from a file you have: an official checkpoint (.pth, pytorch_model.bin, "
                    + "model.safetensors) or a ready .onnx file. The checkpoint is read without running anything in it, "
                    + "checked key by key against the DDColor network, and converted; the file itself is left as it is.")
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name: large, tiny, artistic, paper, or one you configured.")
        String name;
        @Parameters(index = "1", paramLabel = "FILE", description = "The checkpoint or ONNX file.")
        Path file;

        @Override
        public Integer call() throws Exception {
            Chroma402Config config = options.config();
            PrintWriter err = spec.commandLine().getErr();
            ModelSpec model = known(config, name, err);
            if (model == null) {
                return ExitCodes.USAGE;
            }
            return install(spec, model, progress -> Assembly.modelPuller(config, Duration.ofMinutes(1)).importFile(model, file, progress));
        }
    }

    /** A pull or an import, reporting progress on the error stream. */
    @FunctionalInterface
    private interface Installation {
        ModelPuller.Pulled run(ModelPuller.Progress progress) throws Exception;
    }

    /** Runs an installation, then says what was installed, or why nothing was. */
    private static int install(CommandLine.Model.CommandSpec spec, ModelSpec model, Installation installation) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            report(spec.commandLine().getOut(), installation.run(ProgressBar.forPull(err, model.name())), model);
            return ExitCodes.OK;
        } catch (ModelDownloadException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    private static ModelSpec known(Chroma402Config config, String name, PrintWriter err) {
        ModelSpec model = config.models().spec(name).orElse(null);
        if (model == null) {
            err.println("error: unknown model '" + name + "'; known: "
                    + String.join(", ", config.models().specs().stream().map(ModelSpec::name).toList())
                    + " (add one with models." + name + ".architecture and models." + name + ".url)");
        }
        return model;
    }

    private static void report(PrintWriter out, ModelPuller.Pulled pulled, ModelSpec model) throws IOException {
        out.println("installed " + model.name() + ": " + pulled.model() + " (from " + ProgressBar.size(pulled.sourceBytes()) + ")");
        out.println("sha256 " + pulled.sha256());
        ModelOrigin origin = ModelOrigin.of(pulled.model());
        if (!origin.official()) {
            out.println("note: this is not the authors' official checkpoint" + (model.isCheckpoint() ? "" : " (a ready ONNX file)")
                    + "; the server lists it with \"official\": false and as \"" + origin.description(model) + "\""
                    + " (set models." + model.name() + ".description to describe it yourself)");
        }
        if (model.sha256() == null) {
            out.println("no digest was configured for '" + model.name() + "'; pin this one with models." + model.name()
                    + ".sha256 (or " + org.chroma402.app.config.ConfigLoader.envName("models." + model.name() + ".sha256") + ")");
        }
        out.println("a running server picks it up within a few seconds");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check present model files: SHA-256 against the configured digest, and that each loads as a DDColor model.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this model.")
        String name;
        @Option(names = "--precision", description = "int8: also colorize a photo in fp32 and INT8 and print how far the "
                + "INT8 colours are (CIEDE2000), to judge INT8 with these weights.")
        String precision;
        @Option(names = "--image", paramLabel = "FILE", description = "With --precision: the photo (default: a synthetic grey one).")
        Path image;

        @Override
        public Integer call() throws Exception {
            Chroma402Config config = options.config();
            boolean int8 = precision != null && Precision.parse(precision) == Precision.INT8;
            PrintWriter out = spec.commandLine().getOut();
            int bad = 0;
            int checked = 0;
            for (ModelCatalog.Entry e : config.models().entries()) {
                if (name != null && !name.equals(e.spec().name())) {
                    continue;
                }
                if (!e.present()) {
                    out.println(e.spec().name() + ": missing (" + e.file() + ")");
                    if (name != null) {
                        bad++;
                    }
                    continue;
                }
                checked++;
                boolean installed = e.file().getFileName().toString().equals(CheckpointInstaller.GRAPH_FILE);
                // An installed checkpoint is judged by the digest of the checkpoint it was made from.
                String digest = installed ? sourceDigest(e.file()) : ModelDownloader.sha256(e.file());
                String problem = null;
                // A checkpoint model's pin is the checkpoint's digest; an ONNX file used in its place has none to compare.
                boolean comparable = installed || !e.spec().isCheckpoint();
                if (comparable && e.spec().sha256() != null && !e.spec().sha256().equals(digest)) {
                    problem = (installed ? "installed from a checkpoint with SHA-256 " : "SHA-256 ") + digest
                            + " which does not match the configured " + e.spec().sha256();
                } else {
                    try {
                        ModelFileCheck.inspect(e.file());
                    } catch (ModelDownloadException ex) {
                        problem = ex.getMessage();
                    }
                }
                if (problem == null) {
                    out.println(e.spec().name() + ": ok, sha256 " + digest
                            + (e.spec().sha256() == null || !comparable ? " (no digest configured to compare with)" : " (matches)"));
                    if (int8) {
                        RgbImage photo = new ImageDecoder(config.limits()).decode(image != null ? Files.readAllBytes(image)
                                : BenchInputs.syntheticJpeg(1024, 768));
                        try (ColorizationEngine exact = Assembly.engine(config.withPrecision(Precision.FP32), e.spec().name())) {
                            Int8Comparison.Result r = Int8Comparison.run(config, e.spec().name(), Assembly.pipeline(config, exact), List.of(photo), 1);
                            out.println(e.spec().name() + ": int8 " + r.describeColours() + String.format(Locale.ROOT,
                                    "; model run %.2f x faster", (double) r.fp32Nanos() / r.int8Nanos()));
                        } catch (Int8Comparison.Unavailable int8Refused) {
                            // The model itself is fine (it serves in fp32): say why INT8 is not, and go on.
                            out.println(e.spec().name() + ": int8 " + int8Refused.getMessage());
                        }
                    }
                } else {
                    out.println(e.spec().name() + ": BAD, " + problem);
                    bad++;
                }
            }
            if (checked == 0 && bad == 0) {
                out.println("no model files present in " + config.models().directory());
            }
            return bad == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    private static String sourceDigest(Path graph) {
        try {
            return CheckpointInstaller.Record.of(graph).map(CheckpointInstaller.Record::checkpointSha256)
                    .orElse("unknown (no " + CheckpointInstaller.RECORD_FILE + ")");
        } catch (java.io.IOException e) {
            return "unknown (no readable " + CheckpointInstaller.RECORD_FILE + ")";
        }
    }

    @Command(name = "triton-repo", mixinStandardHelpOptions = true,
            description = "Write an NVIDIA Triton model repository (config.pbtxt, onnxruntime backend) for the installed models.")
    static final class TritonRepo implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "DIR", description = "The repository folder to write (Triton's --model-repository).")
        Path dir;
        @Option(names = "--kind", description = "Where Triton runs the model instances: gpu or cpu (default: ${DEFAULT-VALUE}).")
        String kind = "gpu";
        @Option(names = "--instances", description = "Model instances per GPU (or on the CPU) (default: ${DEFAULT-VALUE}).")
        int instances = 1;
        @Option(names = "--max-batch", description = "max_batch_size for models with a dynamic batch axis (default: ${DEFAULT-VALUE}).")
        int maxBatch = 8;

        @Override
        public Integer call() throws Exception {
            if (!kind.equals("gpu") && !kind.equals("cpu") || instances < 1 || maxBatch < 1) {
                spec.commandLine().getErr().println("error: --kind is gpu or cpu; --instances and --max-batch are at least 1");
                return ExitCodes.USAGE;
            }
            Chroma402Config config = options.config();
            RemoteInference remote = RemoteInference.from(options.settings());
            PrintWriter out = spec.commandLine().getOut();
            int written = 0;
            for (ModelCatalog.Entry e : config.models().entries()) {
                if (!e.present()) {
                    continue;
                }
                ModelInfo info = ModelFileCheck.inspect(e.file());
                String name = remote.remoteName(e.spec().name());
                Path model = Files.createDirectories(dir.resolve(name).resolve("1"));
                Files.copy(e.file(), model.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
                Path weights = e.file().resolveSibling(CheckpointInstaller.WEIGHTS_FILE);
                if (e.file().getFileName().toString().equals(CheckpointInstaller.GRAPH_FILE) && Files.exists(weights)) {
                    // The graph names its external weights file; it must lie next to the copy.
                    Files.copy(weights, model.resolve(CheckpointInstaller.WEIGHTS_FILE), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.writeString(dir.resolve(name).resolve("config.pbtxt"), tritonConfig(name, info, kind, instances, maxBatch));
                out.println(name + ": " + dir.resolve(name) + " (" + info + ")");
                written++;
            }
            if (written == 0) {
                spec.commandLine().getErr().println("error: no model files present in " + config.models().directory());
                return ExitCodes.FAILURE;
            }
            out.println("start Triton with --model-repository=" + dir.toAbsolutePath()
                    + " and give its HTTP URL (port 8000) to engine.remote.urls");
            return ExitCodes.OK;
        }
    }

    /**
     * Triton's model configuration for one DDColor graph: with a dynamic batch axis, Triton batches
     * requests itself ({@code dynamic_batching}) and lists dims without the batch axis.
     */
    static String tritonConfig(String name, ModelInfo info, String kind, int instances,
            int maxBatch) {
        int s = info.inputSize();
        boolean batching = info.dynamicBatch();
        String in = batching ? "3, " + s + ", " + s : "1, 3, " + s + ", " + s;
        String outDims = batching ? "2, " + s + ", " + s : "1, 2, " + s + ", " + s;
        return """
                name: "%s"
                backend: "onnxruntime"
                max_batch_size: %d
                input [
                  {
                    name: "%s"
                    data_type: TYPE_FP32
                    dims: [ %s ]
                  }
                ]
                output [
                  {
                    name: "%s"
                    data_type: TYPE_FP32
                    dims: [ %s ]
                  }
                ]
                instance_group [
                  {
                    count: %d
                    kind: %s
                  }
                ]
                """.formatted(name, batching ? maxBatch : 0, info.inputName(), in, info.outputName(), outDims, instances,
                kind.equals("gpu") ? "KIND_GPU" : "KIND_CPU")
                + (batching ? "dynamic_batching {\n  max_queue_delay_microseconds: 2000\n}\n" : "");
    }
}
