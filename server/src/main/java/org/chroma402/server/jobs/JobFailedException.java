package org.chroma402.server.jobs;

/** A paid job that could not produce its result; the client may retry with the same credential. */
public final class JobFailedException extends RuntimeException {
    private final String jobId;

    public JobFailedException(String jobId, String message) {
        super(message);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
