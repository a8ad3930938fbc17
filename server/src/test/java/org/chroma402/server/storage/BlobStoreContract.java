package org.chroma402.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do, run against each one unchanged: large objects, missing
 * names, overwrites, deletes, concurrent writers, and durability: what {@code put} stored is there
 * for a second instance over the same storage.
 */
abstract class BlobStoreContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A store over the test's storage; a second call gives a second instance over the same storage. */
    abstract BlobStore store() throws Exception;

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Test
    void keepsA20MiBObjectExactly() throws Exception {
        BlobStore store = store();
        byte[] big = random(20 << 20);
        store.put("big-result.png", big);
        assertThat(store.get("big-result.png")).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
    }

    @Test
    void aMissingNameIsEmptyAndDeletingItIsFalse() throws Exception {
        BlobStore store = store();
        assertThat(store.get("never-stored.png")).isEmpty();
        assertThat(store.delete("never-stored.png")).isFalse();
    }

    @Test
    void deleteRemovesOnceAndOverwriteReplaces() throws Exception {
        BlobStore store = store();
        store.put("a.png", new byte[] {1, 2, 3});
        store.put("a.png", new byte[] {4, 5});
        assertThat(store.get("a.png")).hasValueSatisfying(b -> assertThat(b).containsExactly(4, 5));
        assertThat(store.delete("a.png")).isTrue();
        assertThat(store.delete("a.png")).isFalse();
        assertThat(store.get("a.png")).isEmpty();
        store.put("empty.png", new byte[0]);
        assertThat(store.get("empty.png")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void whatPutStoredIsThereForAnotherInstance() throws Exception {
        byte[] bytes = random(100_000);
        store().put("durable.png", bytes);
        Optional<byte[]> again = store().get("durable.png");
        assertThat(again).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
        store().checkHealth();
    }

    @Test
    void concurrentWritersOfDifferentNamesAllLand() throws Exception {
        BlobStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                writes.add(pool.submit(() -> {
                    store.put("c" + n + ".png", new byte[] {(byte) n});
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 32; i++) {
            int n = i;
            assertThat(store.get("c" + i + ".png")).hasValueSatisfying(b -> assertThat(b).containsExactly((byte) n));
        }
    }

    @Test
    void concurrentWritersOfOneNameEachLandAWholeObject() throws Exception {
        BlobStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<byte[]> written = new ArrayList<>();
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] bytes = random(1000 + i * 997);
                written.add(bytes);
                writes.add(pool.submit(() -> {
                    store.put("same.jpg", bytes);
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        byte[] landed = store.get("same.jpg").orElseThrow();
        assertThat(written).as("one writer's whole object").anyMatch(w -> java.util.Arrays.equals(w, landed));
    }
}
