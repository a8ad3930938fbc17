package org.chroma402.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.chroma402.app.Assembly;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.ColorizedPhoto;

/** {@code colorize --local}: runs the model on this machine, no payment; what an operator uses to check a model. */
final class LocalColorizing {
    private final Chroma402Config config;
    private final String model;
    private final float saturation;
    private final PrintWriter out;
    private final PrintWriter err;

    /** @param saturation the colour strength, 0 to 2 (1: the model's own colours) */
    LocalColorizing(Chroma402Config config, String model, float saturation, PrintWriter out, PrintWriter err) {
        this.config = config;
        this.saturation = saturation;
        this.model = model;
        this.out = out;
        this.err = err;
    }

    int run(List<Path> files, OutputFormat outputFormat, ColorizeTargets targets) throws java.io.IOException, InterruptedException {
        ProgressBar bar = new ProgressBar(err, "colorizing");
        int failed = 0;
        try (ColorizationEngine engine = Assembly.engine(config, model)) {
            ColorizationPipeline pipeline = Assembly.pipeline(config, engine);
            for (int i = 0; i < files.size(); i++) {
                Path in = files.get(i);
                Path target = targets.target(in, files.size(), outputFormat);
                if (files.size() > 1) {
                    bar.items(i, files.size(), in.getFileName().toString());
                }
                try {
                    ColorizedPhoto photo = pipeline.colorize(Files.readAllBytes(in), outputFormat, pipeline.defaultInputSize(), saturation);
                    if (target.getParent() != null) {
                        Files.createDirectories(target.getParent());
                    }
                    Files.write(target, photo.bytes());
                    if (files.size() == 1) {
                        out.println(target);
                    }
                } catch (ImageException e) {
                    failed++;
                    err.println((files.size() > 1 ? "\n" : "") + in + ": " + e.getMessage());
                }
            }
            if (files.size() > 1) {
                bar.items(files.size(), files.size(), "done");
                out.printf(Locale.ROOT, "%d colorized, %d failed%n", files.size() - failed, failed);
            }
        } catch (ColorizationException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        return failed == 0 ? ExitCodes.OK : (failed == files.size() ? ExitCodes.USAGE : ExitCodes.FAILURE);
    }

}
