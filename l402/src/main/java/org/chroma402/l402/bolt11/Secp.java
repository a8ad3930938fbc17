package org.chroma402.l402.bolt11;

import fr.acinq.secp256k1.Secp256k1;

/** The libsecp256k1 binding, loaded once on first use. */
final class Secp {
    private Secp() {
    }

    private static final class Holder {
        static final Secp256k1 INSTANCE = load();

        private static Secp256k1 load() {
            try {
                return Secp256k1.get();
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException(
                        "libsecp256k1 could not be loaded for " + System.getProperty("os.name") + "/"
                                + System.getProperty("os.arch") + "; Chroma402 ships the Linux natives", e);
            }
        }
    }

    static Secp256k1 get() {
        return Holder.INSTANCE;
    }
}
