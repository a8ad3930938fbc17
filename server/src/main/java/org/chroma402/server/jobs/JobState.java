package org.chroma402.server.jobs;

/** Where a paid colorization stands. */
public enum JobState {
    /** Paid and waiting for a worker (or for a restart to pick it up). */
    QUEUED,
    /** A worker holds its lease and is colorizing. */
    RUNNING,
    /** The result is stored. */
    DONE,
    /** Colorization failed; the same credential may retry without paying again. */
    FAILED
}
