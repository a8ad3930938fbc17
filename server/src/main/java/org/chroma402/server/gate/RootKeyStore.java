package org.chroma402.server.gate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The secrets L402 root keys are derived from. New tokens use the newest active key; old keys
 * keep verifying their tokens until retired. Secrets never appear in {@code toString} or logs.
 */
public interface RootKeyStore {

    /** A key's id and when it was made; the secret stays inside the store. */
    record KeyInfo(String id, Instant createdAt, Instant retiredAt) {
        public boolean active() {
            return retiredAt == null;
        }
    }

    /** The id of the newest active key, creating the first one if there is none. */
    String currentKeyId();

    /** The secret of an active key; empty if it is unknown or retired. */
    Optional<byte[]> secret(String keyId);

    /** Adds a new key that new tokens will use; older keys stay valid. Returns its id. */
    String rotate();

    /** Retires a key: every token minted under it stops verifying. */
    boolean retire(String keyId);

    List<KeyInfo> list();
}
