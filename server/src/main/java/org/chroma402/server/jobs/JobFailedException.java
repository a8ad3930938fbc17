package org.chroma402.server.jobs;

/**
 * A paid job that could not produce its result. The client may retry with the same credential,
 * unless the job {@linkplain #abandoned() was given up} after failing too often.
 */
public final class JobFailedException extends RuntimeException {
    private final String jobId;
    private final boolean storageUnavailable;
    private final boolean abandoned;

    public JobFailedException(String jobId, String message) {
        this(jobId, message, false, false);
    }

    private JobFailedException(String jobId, String message, boolean storageUnavailable, boolean abandoned) {
        super(message);
        this.jobId = jobId;
        this.storageUnavailable = storageUnavailable;
        this.abandoned = abandoned;
    }

    /**
     * The job failed (or its process died) on every one of its allowed attempts: running it again
     * would only fail again (a photo too large for this server's memory, say), so it is not retried.
     */
    public static JobFailedException abandoned(String jobId, String message) {
        return new JobFailedException(jobId, message, false, true);
    }

    /** The job was handed back because this process is stopping: another process or the next start finishes it. */
    public static JobFailedException shuttingDown(String jobId) {
        return new JobFailedException(jobId, "the server is shutting down; retry shortly", false, false);
    }

    /** Whether the job was handed back by a stopping process rather than failed. */
    public boolean shuttingDown() {
        return getMessage() != null && getMessage().startsWith("the server is shutting down");
    }

    public boolean abandoned() {
        return abandoned;
    }

    /** The result (or the input) could not be stored: the store is down, and a retry later will do. */
    public static JobFailedException storageUnavailable(String jobId, String message) {
        return new JobFailedException(jobId, message, true, false);
    }

    public boolean storageUnavailable() {
        return storageUnavailable;
    }

    public String jobId() {
        return jobId;
    }
}
