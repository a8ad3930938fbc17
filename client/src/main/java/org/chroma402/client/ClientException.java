package org.chroma402.client;

import java.util.Optional;
import java.util.Set;

/**
 * A colorization that could not be bought, with what the server said ({@code error_code},
 * suggestion) and, when a payment had already been made, the credential that proves it: retrying
 * with that credential costs nothing, so it is never dropped.
 */
public final class ClientException extends RuntimeException {
    /** 402 codes that say a credential will never buy this request again, so only a new payment can. */
    private static final Set<String> SPENT_CREDENTIAL = Set.of("expired", "unknown_key", "other_request");

    private final int status;
    private final String errorCode;
    private final String suggestion;
    private final String paidCredential;
    private boolean overBudget;
    private boolean overMaxPrice;

    public ClientException(String message, int status, String errorCode, String suggestion, String paidCredential) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.suggestion = suggestion;
        this.paidCredential = paidCredential;
    }

    public ClientException(String message) {
        this(message, 0, null, null, null);
    }

    /** Nothing was paid because the run's {@link Budget} is spent. */
    static ClientException overBudget(String message) {
        ClientException e = new ClientException(message);
        e.overBudget = true;
        return e;
    }

    public boolean isOverBudget() {
        return overBudget;
    }

    /** Nothing was paid because the server's price is above the per-image limit. */
    static ClientException overMaxPrice(String message) {
        ClientException e = new ClientException(message);
        e.overMaxPrice = true;
        return e;
    }

    public boolean isOverMaxPrice() {
        return overMaxPrice;
    }

    /**
     * Whether this answer to a stored credential means it can no longer buy its request, so paying
     * again is the only way: the result expired and was deleted ({@code 410}), or the server refused
     * the token for good ({@code 402} {@code expired}, {@code unknown_key}, {@code other_request}). A
     * {@code 402} that says {@code wrong_preimage} or {@code unpaid} is not: the payment was made and
     * may yet count, so it is never paid again. A {@code 402} without a code (another server) counts
     * only for a credential whose result was already downloaded, which that server no longer replays.
     */
    public boolean refusesCredentialForGood(boolean alreadyRedeemed) {
        if (status == 410) {
            return true;
        }
        if (status != 402) {
            return false;
        }
        return errorCode == null || errorCode.isBlank() ? alreadyRedeemed : SPENT_CREDENTIAL.contains(errorCode);
    }

    /** The HTTP status that ended the attempt, or 0 if the server was never reached. */
    public int status() {
        return status;
    }

    /** The server's {@code error_code}, such as {@code image_too_large}, when it sent one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }

    /** Set when the invoice was paid: the {@code Authorization} value that redeems it. */
    public Optional<String> paidCredential() {
        return Optional.ofNullable(paidCredential);
    }

    /** Whether the server refused the input itself (4xx other than 402), so retrying the same file is pointless. */
    public boolean isBadInput() {
        return status >= 400 && status < 500 && status != 402 && status != 429;
    }
}
