package org.chroma402.server.jobs;

/**
 * The heap that paid jobs may hold at once, so that concurrent large photos wait their turn
 * instead of failing together with {@link OutOfMemoryError}. A job reserves its estimated peak
 * ({@link #estimate}) before it runs and returns it when it ends; a job whose estimate is more than
 * the whole budget runs alone (it waits until nothing else holds any, then holds all of it).
 *
 * <p>Limits: the estimate covers the pipeline's Java buffers only; ONNX Runtime's own buffers live
 * outside the heap (see the README's Memory bullet). Waiting jobs are woken in no particular order.
 */
public final class MemoryBudget {
    /**
     * Heap bytes per photo pixel at the pipeline's peak, on the safe side: the decoded RGB (3), the
     * photo's Lab floats (12), the ab channels upsampled to the photo (8), the merged RGB (4 as
     * ints) and the PNG writer's filtered rows and deflated output (up to ~8).
     */
    static final long BYTES_PER_PIXEL = 36;
    /** Heap bytes per render-size pixel: the input tensor (3 floats) and the model's ab output (2 floats). */
    static final long BYTES_PER_RENDER_PIXEL = 20;

    private final long capacity;
    private long reserved;
    private int holders;

    /** @param capacity bytes paid jobs may hold at once; at least 1 */
    public MemoryBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a memory budget of " + capacity + " bytes");
        }
        this.capacity = capacity;
    }

    /** The default: 60 % of the heap the JVM may grow to, leaving the rest to requests, caches and the unpaid checks. */
    public static MemoryBudget ofMaxHeap() {
        return new MemoryBudget(Math.max(1, Runtime.getRuntime().maxMemory() / 10 * 6));
    }

    /** The peak heap one job is expected to hold: a photo of {@code pixels} rendered at {@code renderSize}, read from {@code encodedBytes}. */
    public static long estimate(long pixels, int renderSize, long encodedBytes) {
        return pixels * BYTES_PER_PIXEL + (long) renderSize * renderSize * BYTES_PER_RENDER_PIXEL + encodedBytes;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes held by running jobs now. */
    public synchronized long reserved() {
        return reserved;
    }

    /**
     * Waits until {@code bytes} fit beside what is held, then holds them; more than the whole
     * budget waits until nothing is held and then holds the whole budget.
     *
     * @return the bytes held, to hand to {@link #release}
     */
    public synchronized long acquire(long bytes) throws InterruptedException {
        long take = Math.min(Math.max(0, bytes), capacity);
        while (holders > 0 && reserved + take > capacity) {
            wait();
        }
        reserved += take;
        holders++;
        return take;
    }

    /** Returns what {@link #acquire} held. */
    public synchronized void release(long held) {
        reserved -= held;
        holders--;
        notifyAll();
    }
}
