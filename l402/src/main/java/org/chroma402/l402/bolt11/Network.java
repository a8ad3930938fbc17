package org.chroma402.l402.bolt11;

import java.util.Optional;

/**
 * The chains BOLT11 names by prefix, with what on-chain fallback addresses look like on each.
 * Longer prefixes come first so that {@code lntbs} is not read as {@code lntb} + amount.
 */
public enum Network {
    REGTEST("bcrt", "bcrt", 0x6f, 0xc4),
    MAINNET("bc", "bc", 0x00, 0x05),
    SIGNET("tbs", "tb", 0x6f, 0xc4),
    TESTNET("tb", "tb", 0x6f, 0xc4),
    SIMNET("sb", "sb", 0x3f, 0x7b);

    private final String currencyPrefix;
    private final String segwitHrp;
    private final int p2pkhVersion;
    private final int p2shVersion;

    Network(String currencyPrefix, String segwitHrp, int p2pkhVersion, int p2shVersion) {
        this.currencyPrefix = currencyPrefix;
        this.segwitHrp = segwitHrp;
        this.p2pkhVersion = p2pkhVersion;
        this.p2shVersion = p2shVersion;
    }

    /** The invoice prefix, such as {@code lnbcrt}. */
    public String invoicePrefix() {
        return "ln" + currencyPrefix;
    }

    public String segwitHrp() {
        return segwitHrp;
    }

    int p2pkhVersion() {
        return p2pkhVersion;
    }

    int p2shVersion() {
        return p2shVersion;
    }

    /** The network of an invoice, read from its prefix alone (nothing is decoded or checked). */
    public static Optional<Network> ofInvoice(String bolt11) {
        String lower = bolt11.toLowerCase(java.util.Locale.ROOT);
        int separator = lower.lastIndexOf('1');
        return separator < 0 ? Optional.empty() : forHrp(lower.substring(0, separator));
    }

    /** The network whose prefix starts {@code hrp} and leaves an amount (or nothing) behind. */
    static Optional<Network> forHrp(String hrp) {
        for (Network network : values()) {
            String prefix = network.invoicePrefix();
            if (hrp.startsWith(prefix)) {
                String rest = hrp.substring(prefix.length());
                if (rest.isEmpty() || Character.isDigit(rest.charAt(0))) {
                    return Optional.of(network);
                }
            }
        }
        return Optional.empty();
    }

    /** Parses a network name as operators write it (mainnet, bitcoin, testnet, signet, regtest, simnet). */
    public static Network fromName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "mainnet", "bitcoin", "bc" -> MAINNET;
            case "testnet", "tb" -> TESTNET;
            case "signet", "tbs" -> SIGNET;
            case "regtest", "bcrt" -> REGTEST;
            case "simnet", "sb" -> SIMNET;
            default -> throw new IllegalArgumentException("unknown network " + name);
        };
    }
}
