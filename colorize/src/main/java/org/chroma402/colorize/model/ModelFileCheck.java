package org.chroma402.colorize.model;

import java.nio.file.Path;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.pipeline.ModelSession;
import org.chroma402.colorize.pipeline.SessionSettings;

/** Loads a model file with ONNX Runtime and checks it has DDColor's inputs and outputs. */
public final class ModelFileCheck implements ModelDownloader.FileCheck {

    @Override
    public void check(Path file) throws ModelDownloadException {
        inspect(file);
    }

    /** The model's inputs and outputs, or why it is not a usable DDColor model. */
    public static ModelInfo inspect(Path file) throws ModelDownloadException {
        try (ModelSession session = ModelSession.open(file, new SessionSettings(1, 1, false, 0,
                SessionSettings.DDCOLOR_INPUT_SIZE))) {
            return session.info();
        } catch (ColorizationException e) {
            throw new ModelDownloadException(e.getMessage(), e);
        }
    }
}
