package org.chroma402.server.storage;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where colorized results (and the inputs of unfinished jobs) are kept, by name. Names are
 * chosen by the server: unguessable, URL-safe. A stored object is durable once {@link #put}
 * returns.
 */
public interface BlobStore {

    void put(String name, byte[] bytes) throws IOException;

    Optional<byte[]> get(String name) throws IOException;

    /** Deletes an object; false if there was none. */
    boolean delete(String name) throws IOException;

    /**
     * Throws if the store cannot take or give objects right now, with why; asked before an
     * unpaid request gets an invoice (so it must be cheap: a remote store answers from a short cache).
     */
    default void checkHealth() throws IOException {
    }

    /**
     * A URL the object can be fetched from directly for {@code validity}, when the store can sign
     * one (an object store's presigned GET); empty when the server must serve the bytes itself.
     */
    default Optional<URI> presignedGet(String name, Duration validity) {
        return Optional.empty();
    }
}
