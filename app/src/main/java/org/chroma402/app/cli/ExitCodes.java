package org.chroma402.app.cli;

/** Exit codes shared by every command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed while doing what was asked (network, model, server). */
    public static final int FAILURE = 1;
    /** The input or the command line was wrong. */
    public static final int USAGE = 2;
    /**
     * Nothing failed, but not everything was bought: the budget ran out first (running again buys
     * the rest), or a price was above {@code --max-price}.
     */
    public static final int NOT_ALL_BOUGHT = 3;
    /** Another process holds the data directory or the port; nothing was started. */
    public static final int IN_USE = 4;

    private ExitCodes() {
    }
}
