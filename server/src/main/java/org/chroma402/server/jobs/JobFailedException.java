package org.chroma402.server.jobs;

/** A paid job that could not produce its result; the client may retry with the same credential. */
public final class JobFailedException extends RuntimeException {
    private final String jobId;
    private final boolean storageUnavailable;

    public JobFailedException(String jobId, String message) {
        this(jobId, message, false);
    }

    private JobFailedException(String jobId, String message, boolean storageUnavailable) {
        super(message);
        this.jobId = jobId;
        this.storageUnavailable = storageUnavailable;
    }

    /** The result (or the input) could not be stored: the store is down, and a retry later will do. */
    public static JobFailedException storageUnavailable(String jobId, String message) {
        return new JobFailedException(jobId, message, true);
    }

    public boolean storageUnavailable() {
        return storageUnavailable;
    }

    public String jobId() {
        return jobId;
    }
}
