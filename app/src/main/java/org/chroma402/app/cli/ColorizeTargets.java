package org.chroma402.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.chroma402.colorize.image.OutputFormat;

/** Which files {@code colorize} reads (files, and images in folders) and where it writes each result. */
final class ColorizeTargets {
    static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff");

    private final Path output;
    private final boolean outputIsFolder;

    /**
     * @param output the {@code -o} argument as typed, or null: a path ending in a separator, an
     *     existing directory, or any output for a folder of inputs is a folder
     * @param inputsHaveFolder whether an input was a folder
     */
    ColorizeTargets(String output, boolean inputsHaveFolder) {
        this.output = output == null ? null : Path.of(output);
        this.outputIsFolder = output != null && (output.endsWith("/") || output.endsWith(java.io.File.separator)
                || Files.isDirectory(this.output) || inputsHaveFolder);
    }

    /** Whether several outputs can go where {@code -o} points. */
    boolean outputIsFolder() {
        return output == null || outputIsFolder;
    }

    /** The output file for one input: beside it, or in the output folder, or the output file itself. */
    Path target(Path in, int count, OutputFormat format) {
        String name = stem(in) + "-color." + format.extension();
        if (output == null) {
            return in.resolveSibling(name);
        }
        if (count == 1 && !outputIsFolder) {
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
