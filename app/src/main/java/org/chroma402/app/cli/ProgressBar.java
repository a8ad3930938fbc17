package org.chroma402.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.chroma402.colorize.model.ModelPuller;

/**
 * A one-line progress bar on a terminal, or one line per step when the output is not a
 * terminal (a log or a pipe), so logs stay readable. Bars go to standard error, so that is the
 * stream that must be a terminal: {@code serve 2>log} typed at a terminal writes plain lines.
 */
final class ProgressBar {
    private final PrintWriter out;
    private final String label;
    private final boolean terminal;
    private long lastPrinted = -1;

    ProgressBar(PrintWriter out, String label) {
        this(out, label, STDERR_IS_TERMINAL);
    }

    ProgressBar(PrintWriter out, String label, boolean terminal) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
    }

    private static final boolean STDERR_IS_TERMINAL = isTerminal(Path.of("/proc/self/fd/2"), System.getenv("TERM"),
            System.console() != null);

    /**
     * Whether the file descriptor behind {@code fdLink} (Linux's {@code /proc/self/fd/N}) is a
     * terminal. {@code System.console()} only tells that standard input and output are, which
     * says nothing about standard error; it is the answer only where there is no {@code /proc}.
     * {@code TERM=dumb} (Emacs shells, some CI) never gets control codes.
     */
    static boolean isTerminal(Path fdLink, String term, boolean console) {
        if ("dumb".equals(term)) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(fdLink).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException noProc) {
            return console;
        }
    }

    /** A model pull's progress: one bar for the download, one for the conversion. */
    static ModelPuller.Progress forPull(PrintWriter out, String model) {
        ProgressBar download = new ProgressBar(out, "downloading " + model);
        ProgressBar convert = new ProgressBar(out, "installing " + model);
        return (phase, done, total) -> (phase == ModelPuller.Phase.DOWNLOADING ? download : convert).bytes(done, total);
    }

    /** Progress in items, such as files. */
    void items(int done, int total, String current) {
        String line = String.format(Locale.ROOT, "%s %s %d/%d %s", label, bar(done, total), done, total, current);
        print(line, done == total);
    }

    /** Progress in bytes; {@code total} may be -1 when unknown. */
    void bytes(long done, long total) {
        String amount = total > 0
                ? String.format(Locale.ROOT, "%s %5.1f%% %s / %s", bar(done, total), 100.0 * done / total, size(done), size(total))
                : size(done);
        long step = total > 0 ? (100 * done / total) / 10 : done / (50L << 20);
        if (terminal || step != lastPrinted || done == total) {
            print(label + " " + amount, done == total);
            lastPrinted = step;
        }
    }

    private void print(String line, boolean last) {
        if (terminal) {
            out.print("\r" + line + "\u001b[K" + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String bar(long done, long total) {
        int width = 24;
        int filled = total <= 0 ? 0 : (int) Math.min(width, width * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
    }
}
