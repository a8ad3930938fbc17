package org.chroma402.server.gate;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the L402 root key when the current one is older than {@code rotation}, and retires
 * keys old enough that no token minted under them can still be redeemed or replayed. Runs
 * periodically; a failed pass is logged and retried at the next.
 */
public final class KeyRotation implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    private final RootKeyStore keys;
    private final Clock clock;
    private final Duration rotation;
    private final Duration tokenLifetime;

    /**
     * @param tokenLifetime the longest a token can matter after it is minted: invoice expiry,
     *     redeem window and result retention together
     */
    public KeyRotation(RootKeyStore keys, Clock clock, Duration rotation, Duration tokenLifetime) {
        this.keys = keys;
        this.clock = clock;
        this.rotation = rotation;
        this.tokenLifetime = tokenLifetime;
    }

    @Override
    public void run() {
        try {
            String current = keys.currentKeyId();
            keys.list().stream().filter(k -> k.id().equals(current)).findFirst().ifPresent(k -> {
                if (k.createdAt().plus(rotation).isBefore(clock.instant())) {
                    String next = keys.rotate();
                    log.info("rotated the L402 root key: new tokens use key {}", next);
                }
            });
            // A key stops minting when the next is made; its last tokens matter for tokenLifetime more.
            Duration lifetime = rotation.plus(tokenLifetime);
            for (RootKeyStore.KeyInfo k : keys.list()) {
                if (k.active() && !k.id().equals(keys.currentKeyId()) && k.createdAt().plus(lifetime).isBefore(clock.instant())) {
                    keys.retire(k.id());
                    log.info("retired L402 root key {}", k.id());
                }
            }
        } catch (RuntimeException e) {
            log.warn("root key rotation check failed: {}", e.getMessage());
        }
    }
}
