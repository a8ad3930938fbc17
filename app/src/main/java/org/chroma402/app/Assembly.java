package org.chroma402.app;

import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.ModelSession;

/**
 * Where Chroma402 is wired together: every component is built here, by constructor, from the
 * configuration. No container, no singletons.
 */
public final class Assembly {

    private Assembly() {
    }

    /** The file a model name or path stands for, with a clear error when it is not there. */
    public static Path modelFile(Chroma402Config config, String nameOrPath) throws ColorizationException {
        Path file;
        try {
            file = config.models().resolve(nameOrPath);
        } catch (IllegalArgumentException e) {
            throw new ColorizationException(e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            String hint = config.models().spec(nameOrPath).isPresent()
                    ? "; run 'chroma402 models pull " + nameOrPath + "' or see the README for how to get it"
                    : "";
            throw new ColorizationException("model file " + file + " does not exist" + hint);
        }
        return file;
    }

    /** A started engine for one model. */
    public static ColorizationEngine engine(Chroma402Config config, String nameOrPath) throws ColorizationException {
        Path file = modelFile(config, nameOrPath);
        return new ColorizationEngine(ModelSession.open(file, config.session()), config.engine(),
                file.getFileName().toString()).start();
    }

    /** A pipeline around an engine, with the configured limits, output quality and upsampling. */
    public static ColorizationPipeline pipeline(Chroma402Config config, ColorizationEngine engine) {
        return new ColorizationPipeline(new ImageDecoder(config.limits()), new ImageEncoder(config.jpegQuality()),
                engine, config.upsampling());
    }
}
