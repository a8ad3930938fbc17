package org.chroma402.server.jobs;

import java.time.Instant;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.TokenId;

/** One paid colorization, from payment to stored result. */
public record Job(String id, PaymentHash paymentHash, TokenId tokenId, String requestDigest, String model,
        long amountMsat, JobState state, int attempts, String leaseOwner, Instant leaseUntil, String inputName,
        String resultName, Integer width, Integer height, String error, Instant createdAt, Instant updatedAt,
        Instant finishedAt, Instant resultExpiresAt, Instant resultDeletedAt, Integer inputSize, Integer saturationPercent) {

    /** A new job in the QUEUED state that renders at {@code inputSize} (null: the model's own). */
    public static Job queued(String id, PaymentHash paymentHash, TokenId tokenId, String requestDigest, String model,
            long amountMsat, String inputName, Instant now, Integer inputSize) {
        return queued(id, paymentHash, tokenId, requestDigest, model, amountMsat, inputName, now, inputSize, null);
    }

    /** A new job that also scales the colours to {@code saturationPercent} hundredths (null: as predicted). */
    public static Job queued(String id, PaymentHash paymentHash, TokenId tokenId, String requestDigest, String model,
            long amountMsat, String inputName, Instant now, Integer inputSize, Integer saturationPercent) {
        return new Job(id, paymentHash, tokenId, requestDigest, model, amountMsat, JobState.QUEUED, 0, null,
                Instant.EPOCH, inputName, null, null, null, null, now, now, null, null, null, inputSize, saturationPercent);
    }

    /** The colour strength the job renders at: 1 unless the request chose another. */
    public float saturation() {
        return saturationPercent == null ? 1f : saturationPercent / 100f;
    }

    public boolean isDone() {
        return state == JobState.DONE;
    }

    /**
     * Where the JPEG rendering of the (PNG) result is kept once someone asked for it, so a replay
     * with {@code Accept: image/jpeg} encodes it once, not on every request.
     */
    public String jpegRenderingName() {
        return resultName == null ? null : resultName.replaceFirst("\\.png$", "") + ".jpg";
    }

    /** Whether the result file has been swept (or was never made). */
    public boolean resultGone(Instant now) {
        return resultDeletedAt != null || (resultExpiresAt != null && !now.isBefore(resultExpiresAt));
    }
}
