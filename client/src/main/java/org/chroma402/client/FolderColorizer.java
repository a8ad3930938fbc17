package org.chroma402.client;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Colorizes many files through one {@link Chroma402Client}: several at once, skipping outputs
 * that already exist (so an interrupted run resumes where it stopped), writing each result
 * atomically, and stopping purchases once the budget is spent. One bad file never stops the rest.
 */
public final class FolderColorizer {

    /** One file to colorize and where its result goes. */
    public record Item(Path input, Path output) {
    }

    /** What became of one item. */
    public record Outcome(Item item, Status status, long paidSat, String detail) {
    }

    /** {@code OVER_BUDGET} and {@code OVER_MAX_PRICE} were not bought, by the user's limits: nothing failed. */
    public enum Status { COLORIZED, ALREADY_DONE, FAILED, OVER_BUDGET, OVER_MAX_PRICE }

    /** Told after each item, from worker threads. */
    @FunctionalInterface
    public interface Progress {
        void done(int finished, int total, Outcome outcome);
    }

    private final Chroma402Client client;
    private final String modelSize;
    private final int parallelism;
    private final BigDecimal saturation;

    public FolderColorizer(Chroma402Client client, String modelSize, int parallelism) {
        this(client, modelSize, null, parallelism);
    }

    /** Colorizes at colour strength {@code saturation} (null: the model's own colours). */
    public FolderColorizer(Chroma402Client client, String modelSize, BigDecimal saturation, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism is at least 1");
        }
        this.client = client;
        this.modelSize = modelSize;
        this.parallelism = parallelism;
        this.saturation = saturation;
    }

    /** Colorizes every item; outcomes in the items' order. */
    public List<Outcome> run(List<Item> items, Budget budget, Progress progress) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "chroma402-client");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger finished = new AtomicInteger();
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Item item : items) {
                futures.add(workers.submit(() -> {
                    Outcome outcome = one(item, budget);
                    progress.done(finished.incrementAndGet(), items.size(), outcome);
                    return outcome;
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return outcomes;
        } finally {
            workers.shutdownNow();
        }
    }

    private Outcome one(Item item, Budget budget) {
        if (Files.isRegularFile(item.output())) {
            return new Outcome(item, Status.ALREADY_DONE, 0, "already colorized");
        }
        try {
            Colorization result = client.colorize(Files.readAllBytes(item.input()), modelSize, saturation, budget);
            write(item.output(), result.image());
            return new Outcome(item, Status.COLORIZED, result.paidSat(), result.width() + "x" + result.height());
        } catch (ClientException e) {
            Status status = e.isOverBudget() ? Status.OVER_BUDGET : e.isOverMaxPrice() ? Status.OVER_MAX_PRICE : Status.FAILED;
            return new Outcome(item, status, 0, e.getMessage());
        } catch (IOException e) {
            return new Outcome(item, Status.FAILED, 0, "cannot read or write: " + e.getMessage());
        }
    }

    /**
     * Writes atomically, with the permissions the user's umask gives new files: the photos are
     * theirs to share (only the receipts, which hold credentials, are owner-only).
     */
    private static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(".chroma402-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + ".part");
        try {
            Files.write(temp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
