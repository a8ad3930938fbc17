package org.chroma402.colorize.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.chroma402.colorize.checkpoint.CheckpointException;

/**
 * Installs the catalogue's models: {@link #pull} downloads a model's source (resumably, digest
 * checked) and installs it, {@link #importFile} installs a file the operator already has. An
 * official checkpoint is checked against its architecture as soon as it is downloaded, converted
 * with {@link CheckpointInstaller} and then deleted (the installed weights hold the same data; an
 * imported file is left where it is); a ready ONNX file is checked and moved into the models directory.
 */
public final class ModelPuller {
    /** What a pull is doing. */
    public enum Phase { DOWNLOADING, CONVERTING }

    /** Told how far a pull has come; {@code total} is -1 when unknown. */
    @FunctionalInterface
    public interface Progress {
        void update(Phase phase, long done, long total);
    }

    /** An installed model. */
    public record Pulled(ModelSpec spec, Path model, String sha256, long sourceBytes, boolean resumed) {
    }

    /** Where downloads in progress are kept, inside the models directory. */
    public static final String DOWNLOADS = ".downloads";

    private final ModelCatalog catalog;
    private final ModelDownloader downloader;
    private final CheckpointInstaller installer;

    public ModelPuller(ModelCatalog catalog, ModelDownloader downloader, CheckpointInstaller installer) {
        this.catalog = catalog;
        this.downloader = downloader;
        this.installer = installer;
    }

    /** Downloads and installs a model; a failure says what to do instead (a mirror, an import). */
    public Pulled pull(ModelSpec spec, Progress progress) throws IOException, ModelDownloadException, InterruptedException {
        if (spec.url() == null) {
            throw new ModelDownloadException("model " + spec.name() + " has no download URL: set models." + spec.name()
                    + ".url, or install a file you have with 'chroma402 models import " + spec.name() + " FILE'");
        }
        try {
            if (!spec.isCheckpoint()) {
                ModelDownloader.Installed installed = downloader.download(spec, catalog.directory(),
                        (done, total) -> progress.update(Phase.DOWNLOADING, done, total));
                return new Pulled(spec, installed.file(), installed.sha256(), installed.sizeBytes(), installed.resumed());
            }
            Path download = catalog.directory().resolve(DOWNLOADS).resolve(spec.downloadName());
            ModelDownloader.Installed fetched = downloader.fetch(spec.name(), spec.url(), spec.sha256(), download,
                    file -> check(file, spec), (done, total) -> progress.update(Phase.DOWNLOADING, done, total));
            try {
                Path model = install(spec, download, spec.url().toString(), fetched.sha256(), fetched.sizeBytes(), progress);
                return new Pulled(spec, model, fetched.sha256(), fetched.sizeBytes(), fetched.resumed());
            } finally {
                Files.deleteIfExists(download);
            }
        } catch (ModelDownloadException e) {
            if (e.getCause() instanceof IOException) {
                throw new ModelDownloadException(e.getMessage() + ". Without access to that host: download the file elsewhere and run "
                        + "'chroma402 models import " + spec.name() + " FILE', or point models." + spec.name()
                        + ".url (or models.hub-url) at a mirror" + tryOffline(spec), e.getCause());
            }
            throw e;
        }
    }

    /**
     * How to try the product with no weights at all: a seeded random checkpoint of the same network
     * (made from a source checkout; listed as not official). Offline, it is the only way to see it work.
     */
    static String tryOffline(ModelSpec spec) {
        if (!spec.isCheckpoint()) {
            return "";
        }
        String arch = spec.architecture().id();
        return ". To try Chroma402 offline without the weights (random weights, meaningless colours), from a source checkout: "
                + "'/usr/bin/python3 tools/ddcolor/make_test_checkpoint.py --architecture " + arch + " --seed 1 --format pth --output "
                + arch + "-test.pth' then 'chroma402 models import " + spec.name() + " " + arch + "-test.pth'";
    }

    /**
     * Installs a local file as a model: an official checkpoint ({@code .pth}, {@code .bin},
     * {@code .safetensors}) for a checkpoint model, or an ONNX file.
     */
    public Pulled importFile(ModelSpec spec, Path file, Progress progress) throws IOException, ModelDownloadException {
        if (!Files.isRegularFile(file)) {
            throw new ModelDownloadException("no file " + file);
        }
        String digest = ModelDownloader.sha256(file);
        long size = Files.size(file);
        if (file.getFileName().toString().endsWith(".onnx")) {
            ModelFileCheck.inspect(file);
            Path target = catalog.directory().resolve(spec.fileName());
            OwnerOnly.createDirectories(catalog.directory());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING);
            ModelDownloader.moveIntoPlace(part, target);
            return new Pulled(spec, target, digest, size, false);
        }
        if (!spec.isCheckpoint()) {
            throw new ModelDownloadException("model " + spec.name() + " is configured as an ONNX file (models." + spec.name()
                    + ".file); import an .onnx file, or set models." + spec.name() + ".architecture to tiny or large for a checkpoint");
        }
        check(file, spec);
        return new Pulled(spec, install(spec, file, file.toAbsolutePath().toString(), digest, size, progress), digest, size, false);
    }

    private Path install(ModelSpec spec, Path checkpoint, String source, String digest, long size, Progress progress)
            throws IOException, ModelDownloadException {
        try {
            return installer.install(checkpoint, spec.architecture(), catalog.installDirectory(spec),
                    new CheckpointInstaller.Source(source, digest, size),
                    (done, total) -> progress.update(Phase.CONVERTING, done, total)).graph();
        } catch (CheckpointException e) {
            throw new ModelDownloadException(checkpoint.getFileName() + " cannot be installed as " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private void check(Path file, ModelSpec spec) throws ModelDownloadException {
        try {
            installer.check(file, spec.architecture());
        } catch (CheckpointException e) {
            throw new ModelDownloadException(file.getFileName() + " is not a usable " + spec.name() + " checkpoint: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelDownloadException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
