package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.chroma402.server.jobs.JobFailedException;
import org.junit.jupiter.api.Test;

/** How a paid job that did not produce its result is answered, without HTTP. */
class JobFailureAnswersTest {
    /** A planned stop is no failure of ours: 503 shutting_down with Retry-After, not a 500. */
    @Test
    void aJobHandedBackByAStopIsAnsweredAsAStop() {
        ApiException answer = ColorizeService.failed(new CompletionException(JobFailedException.shuttingDown("j")));
        assertThat(answer.errorCode()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(answer.headers()).containsKey("Retry-After");
    }

    @Test
    void aFailedJobIsAFailureAndAnAbandonedOneSaysSo() {
        assertThat(ColorizeService.failed(new JobFailedException("j", "boom")).errorCode())
                .isEqualTo(ErrorCode.COLORIZATION_FAILED);
        assertThat(ColorizeService.failed(JobFailedException.abandoned("j", "out of memory")).errorCode())
                .isEqualTo(ErrorCode.COLORIZATION_ABANDONED);
        assertThat(ColorizeService.failed(JobFailedException.storageUnavailable("j", "s3 down")).errorCode())
                .isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
    }
}
