package org.chroma402.server.storage;

import java.io.IOException;
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
}
